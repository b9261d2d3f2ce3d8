namespace Concordat.Gateway.Tests.Incidents;

/// <summary>The incidents scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteIncidentsScenarios : IncidentsScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
