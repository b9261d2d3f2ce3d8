using Concordat.Storage.Postgres;
using Concordat.Storage.Sqlite;
using Concordat.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordat.Cli.Tests;

public sealed class StoreEnginesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Create_NoConnectionString_IsTheWorkspaceSqliteEngine(string? store)
    {
        await using var engine = StoreEngines.Create("ws", store, new FakeTimeProvider(), NullLoggerFactory.Instance);

        Assert.IsType<SqliteStoreEngine>(engine);
        Assert.Equal("SQLite", engine.Name);
    }

    [Fact]
    public async Task Create_ConnectionString_IsThePostgresEngineAndConnectsToNothingYet()
    {
        await using var engine = StoreEngines.Create("ws", "Host=127.0.0.1;Port=1;Username=nobody", new FakeTimeProvider(), NullLoggerFactory.Instance);

        Assert.IsType<PostgresStoreEngine>(engine);
        Assert.Equal("PostgreSQL", engine.Name);
    }
}
