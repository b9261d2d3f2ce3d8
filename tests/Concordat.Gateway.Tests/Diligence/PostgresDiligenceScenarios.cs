using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Diligence;

/// <summary>The due-diligence scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresDiligenceScenarios(PostgresServer server) : DiligenceScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
