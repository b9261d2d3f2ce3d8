using Concordat.Log;
using Concordat.Storage.Sqlite;
using Concordat.Testing.Log;

namespace Concordat.Storage.Tests.Sqlite;

public sealed class SqliteLogStorageTests : LogStorageConformanceTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private int _workspaces;

    public void Dispose() => _directory.Dispose();

    protected override Task<ILogStorage> CreateStorageAsync()
    {
        var workspace = System.IO.Path.Combine(_directory.Path, $"w{Interlocked.Increment(ref _workspaces)}");
        Directory.CreateDirectory(workspace);
        return Task.FromResult<ILogStorage>(SqliteLogStorage.Open(workspace));
    }

    protected override long CountCommittedTransactions(ILogStorage storage) => ((SqliteLogStorage)storage).CommittedTransactions;

    [Fact]
    public async Task Open_Always_UsesWalWithFullSynchronous()
    {
        await using var storage = SqliteLogStorage.Open(_directory.Path);

        Assert.Equal("wal", storage.ReadPragma("journal_mode"));
        Assert.Equal("2", storage.ReadPragma("synchronous"));
    }

    [Fact]
    public async Task Open_WhileAnotherOpenerHoldsTheWorkspace_FailsWithClearMessage()
    {
        await using var first = SqliteLogStorage.Open(_directory.Path);

        var error = Assert.Throws<IOException>(() => SqliteLogStorage.Open(_directory.Path));

        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AfterDispose_Succeeds()
    {
        await (SqliteLogStorage.Open(_directory.Path)).DisposeAsync();

        await using var second = SqliteLogStorage.Open(_directory.Path);

        Assert.Equal(0, await second.ReadTreeSizeAsync(default));
    }

    [Fact]
    public async Task ReadHashes_BatchLongerThanOneRun_ReturnsEveryHashAsGiven()
    {
        await using var storage = SqliteLogStorage.Open(_directory.Path);
        var first = LogTestData.Batch(new Concordat.Merkle.CompactMerkleTree(), 0, 45);
        var tree = new Concordat.Merkle.CompactMerkleTree();
        foreach (var entry in first.Entries)
        {
            tree.Append(Concordat.Merkle.MerkleHash.OfLeaf(entry.Span));
        }

        var second = LogTestData.Batch(tree, 45, 200);

        Assert.True(await storage.TryAppendAsync(first, default));
        Assert.True(await storage.TryAppendAsync(second, default));

        var nodes = first.Nodes.Concat(second.Nodes).ToList();
        Assert.True(nodes.Count > 4 * 60);
        var hashes = await storage.ReadHashesAsync([.. nodes.Select(n => n.Id)], default);
        Assert.Equal(nodes.Select(n => n.Hash.ToArray()), hashes);
        Assert.Null((await storage.ReadHashesAsync([new Concordat.Merkle.MerkleNodeId(0, 245)], default))[0]);
    }

    [Fact]
    public void Open_SchemaVersion2_IsRefusedWithItsVersion()
    {
        var path = System.IO.Path.Combine(_directory.Path, SqliteLogStorage.DatabaseFileName);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE log_hashes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL); PRAGMA user_version = 2;";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidDataException>(() => SqliteLogStorage.Open(_directory.Path));

        Assert.Contains("has log schema version 2, but this version of Concordat reads version 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileIsNotADatabase_FailsWithOneClearError()
    {
        File.WriteAllText(System.IO.Path.Combine(_directory.Path, SqliteLogStorage.DatabaseFileName), new string('x', 8192));

        var error = Assert.Throws<InvalidDataException>(() => SqliteLogStorage.Open(_directory.Path));

        Assert.Contains("is not a readable log database", error.Message, StringComparison.Ordinal);
    }
}
