using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Recipients;

/// <summary>The recipients scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresRecipientsScenarios(PostgresServer server) : RecipientsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
