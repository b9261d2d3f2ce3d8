using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Aggregates;

/// <summary>The aggregates scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresAggregatesScenarios(PostgresServer server) : AggregatesScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
