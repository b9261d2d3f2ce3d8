using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Decisions;

/// <summary>The decisions scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresDecisionsScenarios(PostgresServer server) : DecisionsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
