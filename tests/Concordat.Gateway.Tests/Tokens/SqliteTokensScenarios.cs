namespace Concordat.Gateway.Tests.Tokens;

/// <summary>The tokens scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteTokensScenarios : TokensScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
