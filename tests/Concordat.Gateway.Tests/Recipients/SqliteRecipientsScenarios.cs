namespace Concordat.Gateway.Tests.Recipients;

/// <summary>The recipients scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteRecipientsScenarios : RecipientsScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
