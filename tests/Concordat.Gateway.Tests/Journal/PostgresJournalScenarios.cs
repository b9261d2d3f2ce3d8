using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Journal;

/// <summary>The journal scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresJournalScenarios(PostgresServer server) : JournalScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
