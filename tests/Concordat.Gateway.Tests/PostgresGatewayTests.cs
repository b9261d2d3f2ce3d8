using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests;

[Collection(PostgresGroup.Name)]
public sealed class PostgresGatewayTests(PostgresServer server) : GatewayScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
