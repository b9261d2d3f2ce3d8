namespace Concordat.Gateway.Tests.Erasure;

/// <summary>The erasure scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteErasureScenarios : ErasureScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
