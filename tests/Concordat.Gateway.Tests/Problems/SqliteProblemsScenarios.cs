namespace Concordat.Gateway.Tests.Problems;

/// <summary>The problems scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteProblemsScenarios : ProblemsScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
