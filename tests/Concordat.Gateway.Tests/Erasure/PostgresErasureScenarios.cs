using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Erasure;

/// <summary>The erasure scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresErasureScenarios(PostgresServer server) : ErasureScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
