using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Provenance;

/// <summary>The attestation scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresAttestationsScenarios(PostgresServer server) : AttestationsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
