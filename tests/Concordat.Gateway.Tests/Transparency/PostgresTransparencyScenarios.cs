using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Transparency;

/// <summary>The transparency scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresTransparencyScenarios(PostgresServer server) : TransparencyScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
