using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Lineage;

/// <summary>The lineage scenarios on a fresh database of the shared PostgreSQL server: its checkpoint history answers <c>asOf</c>.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresLineageScenarios(PostgresServer server) : LineageScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
