using Concordat.Log;
using Concordat.Merkle;
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

    protected override Task DamageHashAsync(ILogStorage storage, MerkleNodeId id)
    {
        var offset = $"(({id.StoredIndex} - start) * 32)";
        ((SqliteLogStorage)storage).ExecuteForTest(
            $"UPDATE log_hash_runs SET hashes = CAST(substr(hashes, 1, {offset}) || zeroblob(32) || substr(hashes, {offset} + 33) AS BLOB) WHERE start = (SELECT max(start) FROM log_hash_runs WHERE start <= {id.StoredIndex})");
        return Task.CompletedTask;
    }

    protected override Task DeleteCheckpointAsync(ILogStorage storage, long treeSize)
    {
        ((SqliteLogStorage)storage).ExecuteForTest($"DELETE FROM log_checkpoints WHERE tree_size = {treeSize}");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task OpenForReading_StoppedWorkspace_ChangesNoFileAndCreatesNone()
    {
        await CreateLogAsync(_directory.Path, 5);
        var before = Snapshot(_directory.Path);

        await using (var reader = SqliteLogStorage.OpenForReading(_directory.Path))
        {
            var verification = await LogVerifier.VerifyAsync(reader, LogTestData.LogKey.VerifierKey, default);
            Assert.True(verification.IsValid, verification.Problem?.Message);
            Assert.Equal(5, verification.TreeSize);
        }

        Assert.Equal(before, Snapshot(_directory.Path));
        Assert.False(File.Exists(System.IO.Path.Combine(_directory.Path, SqliteLogStorage.DatabaseFileName + "-wal")));
    }

    [Fact]
    public async Task OpenForReading_BesideARunningWriter_ReadsItsCommitsAndChangesNeitherTheDatabaseNorTheWal()
    {
        await using var writer = SqliteLogStorage.Open(_directory.Path);
        await using var log = await TransparencyLog.OpenAsync(writer, TimeProvider.System, LogTestData.LogKey, null, default);
        await LogTestData.AppendRangeAsync(log, 0, 3);
        Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
        var database = System.IO.Path.Combine(_directory.Path, SqliteLogStorage.DatabaseFileName);
        var before = Snapshot(_directory.Path);

        await using (var reader = SqliteLogStorage.OpenForReading(_directory.Path))
        {
            var verification = await LogVerifier.VerifyAsync(reader, LogTestData.LogKey.VerifierKey, default);
            Assert.True(verification.IsValid && verification.IsHistorySigned, verification.Problem?.Message);
            Assert.Equal(3, verification.TreeSize);
            await Assert.ThrowsAsync<InvalidOperationException>(() => reader.AddCheckpointAsync(new StoredCheckpoint(9, "x\n"), null, default));
        }

        var after = Snapshot(_directory.Path);
        Assert.Equal(before[database], after[database]);
        Assert.Equal(before[database + "-wal"], after[database + "-wal"]);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
    }

    [Fact]
    public async Task OpenForReading_EmptyOrMissingFile_IsRefused()
    {
        Assert.Throws<FileNotFoundException>(() => SqliteLogStorage.OpenForReading(_directory.Path));
        await File.WriteAllBytesAsync(System.IO.Path.Combine(_directory.Path, SqliteLogStorage.DatabaseFileName), []);

        var error = Assert.Throws<InvalidDataException>(() => SqliteLogStorage.OpenForReading(_directory.Path));

        Assert.Contains("is empty (0 bytes)", error.Message, StringComparison.Ordinal);
        Assert.False(SqliteLogStorage.Exists(_directory.Path));
        Assert.Empty(await File.ReadAllBytesAsync(System.IO.Path.Combine(_directory.Path, SqliteLogStorage.DatabaseFileName)));
    }

    [Fact]
    public async Task Open_SchemaVersion4_UpgradesToBundlesThatVerifyAndGrow()
    {
        var entries = await CreateVersion4LogAsync(_directory.Path, 300);
        await using (var reader = SqliteLogStorage.OpenForReading(_directory.Path))
        {
            // A reader reads version 4 as it is, and never upgrades it.
            Assert.Equal(300, await reader.ReadTreeSizeAsync(default));
            Assert.True((await LogVerifier.VerifyAsync(reader, LogTestData.LogKey.VerifierKey, default)).IsValid);
        }

        Assert.Equal("4", ReadUserVersion(_directory.Path));
        await using (var storage = SqliteLogStorage.Open(_directory.Path))
        {
            Assert.Equal("5", storage.ReadPragma("user_version"));
            Assert.Equal(300, await storage.ReadTreeSizeAsync(default));
            Assert.Equal(entries, (await storage.ReadEntriesAsync(0, 1000, default)).Select(e => e.Entry));
            Assert.Equal(entries.Skip(250).Take(10), (await storage.ReadEntriesAsync(250, 10, default)).Select(e => e.Entry));
            var verification = await LogVerifier.VerifyAsync(storage, LogTestData.LogKey.VerifierKey, default);
            Assert.True(verification.IsValid && verification.IsHistorySigned, verification.Problem?.Message);

            await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default);
            Assert.Null(log.Damage);
            await LogTestData.AppendRangeAsync(log, 300, 5);
            Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
            Assert.Equal(305, (await LogVerifier.VerifyAsync(storage, LogTestData.LogKey.VerifierKey, default)).TreeSize);
        }
    }

    [Fact]
    public async Task Open_SchemaVersion4WithAMissingEntry_IsRefusedAndLeftAsItWas()
    {
        await CreateVersion4LogAsync(_directory.Path, 10);
        Execute(_directory.Path, "DELETE FROM log_entries WHERE idx = 4");

        var error = Assert.Throws<InvalidDataException>(() => SqliteLogStorage.Open(_directory.Path));

        Assert.Contains("holds 9 entries for a tree of 10: it cannot be upgraded", error.Message, StringComparison.Ordinal);
        Assert.Equal("4", ReadUserVersion(_directory.Path));
        await using var reader = SqliteLogStorage.OpenForReading(_directory.Path);
        var verification = await LogVerifier.VerifyTreeAsync(reader, default);
        Assert.Equal("entry 4 is missing from storage", verification.Problem?.Message);
    }

    // Writes a signed log of `count` entries, then rewrites it as log schema version 4 wrote it: one row per entry
    // in log_entries and the tree size in log_head (the hash runs, checkpoints and history are the same).
    private static async Task<List<byte[]>> CreateVersion4LogAsync(string workspace, int count)
    {
        await CreateLogAsync(workspace, count);
        List<byte[]> entries;
        await using (var storage = SqliteLogStorage.Open(workspace))
        {
            entries = [.. (await storage.ReadEntriesAsync(0, count, default)).Select(e => e.Entry)];
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={System.IO.Path.Combine(workspace, SqliteLogStorage.DatabaseFileName)};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            BEGIN;
            CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size INTEGER NOT NULL);
            INSERT INTO log_head (id, tree_size) VALUES (1, {count});
            CREATE TABLE log_entries (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL);
            DROP TABLE log_entry_bundles;
            PRAGMA user_version = 4;
            """;
        command.ExecuteNonQuery();
        command.CommandText = "INSERT INTO log_entries (idx, entry) VALUES ($idx, $entry)";
        for (var i = 0; i < entries.Count; i++)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$idx", i);
            command.Parameters.AddWithValue("$entry", entries[i]);
            command.ExecuteNonQuery();
        }

        command.Parameters.Clear();
        command.CommandText = "COMMIT; PRAGMA wal_checkpoint(TRUNCATE);";
        command.ExecuteNonQuery();
        return entries;
    }

    private static void Execute(string workspace, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={System.IO.Path.Combine(workspace, SqliteLogStorage.DatabaseFileName)};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string ReadUserVersion(string workspace)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={System.IO.Path.Combine(workspace, SqliteLogStorage.DatabaseFileName)};Mode=ReadOnly;Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static async Task CreateLogAsync(string workspace, int count)
    {
        await using var storage = SqliteLogStorage.Open(workspace);
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default);
        await LogTestData.AppendRangeAsync(log, 0, count);
        Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
    }

    // Every file of the folder with its bytes and last write time, except the writer's lock file.
    private static Dictionary<string, (string Sha256, DateTime WrittenAt)> Snapshot(string folder) =>
        Directory.GetFiles(folder)
            .Where(f => System.IO.Path.GetFileName(f) != SqliteLogStorage.LockFileName)
            .ToDictionary(f => f, f => (Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)));

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

        Assert.Contains("has log schema version 2, but this version of Concordat reads versions 3, 4 and 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileIsNotADatabase_FailsWithOneClearError()
    {
        File.WriteAllText(System.IO.Path.Combine(_directory.Path, SqliteLogStorage.DatabaseFileName), new string('x', 8192));

        var error = Assert.Throws<InvalidDataException>(() => SqliteLogStorage.Open(_directory.Path));

        Assert.Contains("is not a readable log database", error.Message, StringComparison.Ordinal);
    }
}
