using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Datasets;

/// <summary>The datasets scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresDatasetsScenarios(PostgresServer server) : DatasetsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
