namespace Concordat.Gateway.Tests.Datasets;

/// <summary>The datasets scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteDatasetsScenarios : DatasetsScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
