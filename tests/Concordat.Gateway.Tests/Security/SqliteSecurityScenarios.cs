namespace Concordat.Gateway.Tests.Security;

/// <summary>The security scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteSecurityScenarios : SecurityScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
