namespace Concordat.Gateway.Tests.Decisions;

/// <summary>The decisions scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteDecisionsScenarios : DecisionsScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
