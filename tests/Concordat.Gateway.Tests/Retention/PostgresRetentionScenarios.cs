using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Retention;

/// <summary>The retention scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresRetentionScenarios(PostgresServer server) : RetentionScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
