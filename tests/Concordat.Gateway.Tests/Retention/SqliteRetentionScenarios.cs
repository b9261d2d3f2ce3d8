namespace Concordat.Gateway.Tests.Retention;

/// <summary>The retention scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteRetentionScenarios : RetentionScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
