namespace Concordat.Gateway.Tests;

public sealed class SqliteGatewayTests : GatewayScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
