using Concordat.Storage.Postgres;
using Concordat.Store;
using Concordat.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordat.Storage.Tests.Postgres;

[Collection(PostgresGroup.Name)]
public sealed class PostgresStoreEngineTests(PostgresServer server) : StoreEngineConformanceTests
{
    private readonly Dictionary<IStoreEngine, string> _databases = [];

    protected override async Task<IStoreEngine> CreateEngineAsync()
    {
        var database = await server.CreateDatabaseAsync("engine");
        var engine = Create(database);
        _databases[engine] = database;
        return engine;
    }

    protected override IStoreEngine? CreateReplica(IStoreEngine engine) => Create(_databases[engine]);

    private static PostgresStoreEngine Create(string database) => new(database, new FakeTimeProvider(), NullLoggerFactory.Instance);
}
