namespace Concordat.Gateway.Tests.Diligence;

/// <summary>The due-diligence scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteDiligenceScenarios : DiligenceScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
