namespace Concordat.Gateway.Tests.Incidents;

/// <summary>The report scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteReportsScenarios : ReportsScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
