namespace Concordat.Gateway.Tests.Agreements;

/// <summary>The agreements scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteAgreementsScenarios : AgreementsScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
