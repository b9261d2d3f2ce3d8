using Concordat.Registry;
using Concordat.Storage.Postgres.Registry;
using Concordat.Testing.Registry;

namespace Concordat.Storage.Tests.Postgres;

[Collection(PostgresGroup.Name)]
public sealed class PostgresRegistryStoreTests(PostgresServer server) : RegistryStoreConformanceTests
{
    protected override async Task<IRegistryStore> CreateStoreAsync()
    {
        var store = new PostgresRegistryStore(await server.CreateDatabaseAsync("registry"));
        await store.InitializeAsync(default);
        return store;
    }
}
