namespace Concordat.Gateway.Tests.Provenance;

/// <summary>The attestation scenarios on the workspace's SQLite store.</summary>
public sealed class SqliteAttestationsScenarios : AttestationsScenarios
{
    private protected override Task<string?> StoreAsync() => Task.FromResult<string?>(null);
}
