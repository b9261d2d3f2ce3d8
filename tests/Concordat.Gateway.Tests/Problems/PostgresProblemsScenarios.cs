using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Problems;

/// <summary>The problems scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresProblemsScenarios(PostgresServer server) : ProblemsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
