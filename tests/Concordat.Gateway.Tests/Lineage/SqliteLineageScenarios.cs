namespace Concordat.Gateway.Tests.Lineage;

/// <summary>The lineage scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteLineageScenarios : LineageScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
