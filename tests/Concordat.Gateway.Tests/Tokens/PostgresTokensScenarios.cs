using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Tokens;

/// <summary>The tokens scenarios on a fresh database of the shared PostgreSQL server.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresTokensScenarios(PostgresServer server) : TokensScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");
}
