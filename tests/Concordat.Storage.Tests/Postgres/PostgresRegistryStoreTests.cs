using Concordat.Storage.Postgres;
using Concordat.Store;
using Concordat.Testing;
using Concordat.Testing.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordat.Storage.Tests.Postgres;

[Collection(PostgresGroup.Name)]
public sealed class PostgresRegistryStoreTests(PostgresServer server) : RegistryStoreConformanceTests
{
    protected override async Task<IStoreEngine> CreateEngineAsync() =>
        new PostgresStoreEngine(await server.CreateDatabaseAsync("registry"), new FakeTimeProvider(), NullLoggerFactory.Instance);
}
