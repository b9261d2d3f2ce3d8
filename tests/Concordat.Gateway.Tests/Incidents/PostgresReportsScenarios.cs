using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Incidents;

/// <summary>The report scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresReportsScenarios(PostgresServer server) : ReportsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
