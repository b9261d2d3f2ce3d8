using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Agreements;

/// <summary>The agreements scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresAgreementsScenarios(PostgresServer server) : AgreementsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
