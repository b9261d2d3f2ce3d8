namespace Concordat.Gateway.Tests.Journal;

/// <summary>The journal scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteJournalScenarios : JournalScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
