namespace Concordat.Gateway.Tests.Transparency;

/// <summary>The transparency scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteTransparencyScenarios : TransparencyScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
