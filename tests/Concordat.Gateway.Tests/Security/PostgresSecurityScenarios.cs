using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Security;

/// <summary>The security scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresSecurityScenarios(PostgresServer server) : SecurityScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
