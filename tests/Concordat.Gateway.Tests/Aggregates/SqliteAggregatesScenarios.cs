namespace Concordat.Gateway.Tests.Aggregates;

/// <summary>The aggregates scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteAggregatesScenarios : AggregatesScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
