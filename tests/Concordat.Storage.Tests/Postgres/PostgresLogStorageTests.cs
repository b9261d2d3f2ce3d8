using Concordat.Log;
using Concordat.Merkle;
using Concordat.Storage.Postgres;
using Concordat.Testing.Log;
using Npgsql;

namespace Concordat.Storage.Tests.Postgres;

[Collection(PostgresGroup.Name)]
public sealed class PostgresLogStorageTests(PostgresServer server) : LogStorageConformanceTests, IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;
    private int _schemas;

    public async Task InitializeAsync() => _dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("log_storage"));

    public async Task DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }

    protected override async Task<ILogStorage> CreateStorageAsync() => await PostgresLogStorage.OpenAsync(await CreateSchemaAsync(), default);

    protected override long CountCommittedTransactions(ILogStorage storage) => ((PostgresLogStorage)storage).CommittedTransactions;

    protected override Task DamageHashAsync(ILogStorage storage, MerkleNodeId id) =>
        ((PostgresLogStorage)storage).ExecuteForTestAsync(
            $"UPDATE log_hash_runs SET hashes = overlay(hashes placing decode(repeat('00', 32), 'hex') from (({id.StoredIndex} - start) * 32 + 1)::integer for 32) WHERE start = (SELECT max(start) FROM log_hash_runs WHERE start <= {id.StoredIndex})");

    protected override Task DeleteCheckpointAsync(ILogStorage storage, long treeSize) =>
        ((PostgresLogStorage)storage).ExecuteForTestAsync($"DELETE FROM log_checkpoints WHERE tree_size = {treeSize}");

    [Fact]
    public async Task OpenForReading_NoLogThenALog_CreatesNothingAndRefusesWrites()
    {
        await using var dataSource = NpgsqlDataSource.Create(await CreateSchemaAsync());

        await Assert.ThrowsAsync<FileNotFoundException>(() => PostgresLogStorage.OpenForReadingAsync(dataSource, default));
        Assert.False(await PostgresLogStorage.ExistsAsync(dataSource, default));
        await using (var writer = await PostgresLogStorage.OpenAsync(dataSource, default))
        {
            await using var log = await TransparencyLog.OpenAsync(writer, TimeProvider.System, LogTestData.LogKey, null, default);
            await LogTestData.AppendRangeAsync(log, 0, 3);
            Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
        }

        await using var reader = await PostgresLogStorage.OpenForReadingAsync(dataSource, default);
        var verification = await LogVerifier.VerifyAsync(reader, LogTestData.LogKey.VerifierKey, default);

        Assert.True(verification.IsValid && verification.IsHistorySigned, verification.Problem?.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.TryAppendAsync(LogTestData.Batch(new CompactMerkleTree(), 3, 1), default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.AddCheckpointAsync(new StoredCheckpoint(9, "x\n"), null, default));
    }

    [Fact]
    public async Task Open_Always_DurableSettingsAreInForce()
    {
        await using var storage = await PostgresLogStorage.OpenAsync(await CreateSchemaAsync(), default);

        Assert.Equal("on", await storage.ReadSettingAsync("fsync", default));
        Assert.Equal("on", await storage.ReadSettingAsync("synchronous_commit", default));
    }

    [Fact]
    public async Task Append_SessionDefaultNotDurable_CommitsWithSynchronousCommitOn()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(await CreateSchemaAsync()) { Options = "-c synchronous_commit=off" }.ToString();
        await using var storage = await PostgresLogStorage.OpenAsync(connectionString, default);

        var atCommit = await storage.AppendReadingCommitSettingAsync(LogTestData.Batch(new CompactMerkleTree(), 0, 3), default);

        Assert.Equal("off", await storage.ReadSettingAsync("synchronous_commit", default));
        Assert.Equal("on", atCommit);
        Assert.Equal(3, await storage.ReadTreeSizeAsync(default));
    }

    [Fact]
    public async Task ReadHashes_BatchesLongerThanOneRow_ReturnEveryHashAsGiven()
    {
        await using var storage = await PostgresLogStorage.OpenAsync(await CreateSchemaAsync(), default);
        var tree = new CompactMerkleTree();
        var first = LogTestData.Batch(tree, 0, 100);
        foreach (var entry in first.Entries)
        {
            tree.Append(MerkleHash.OfLeaf(entry.Span));
        }

        var second = LogTestData.Batch(tree, 100, 30);
        Assert.True(await storage.TryAppendAsync(first, default));
        Assert.True(await storage.TryAppendAsync(second, default));

        var nodes = first.Nodes.Concat(second.Nodes).ToList();
        var notStored = new MerkleNodeId(0, 130);
        var hashes = await storage.ReadHashesAsync([.. nodes.Select(n => n.Id), notStored], default);

        Assert.Equal(nodes.Select(n => n.Hash.ToArray()), hashes.Take(nodes.Count));
        Assert.Null(hashes[^1]);
    }

    [Fact]
    public async Task ReadHashes_NodesGivenOutOfAppendOrder_ReturnEveryHashAsGiven()
    {
        await using var storage = await PostgresLogStorage.OpenAsync(await CreateSchemaAsync(), default);
        var batch = LogTestData.Batch(new CompactMerkleTree(), 0, 9);
        var reversed = batch with { Nodes = [.. batch.Nodes.Reverse()] };
        Assert.True(await storage.TryAppendAsync(reversed, default));

        var hashes = await storage.ReadHashesAsync([.. batch.Nodes.Select(n => n.Id)], default);

        Assert.Equal(batch.Nodes.Select(n => n.Hash.ToArray()), hashes);
    }

    // Version 1, the first layout: no version table, one row per hash in log_tree, keyed by (level, index).
    [Theory]
    [InlineData("DROP TABLE log_schema; DROP TABLE log_hash_runs; CREATE TABLE log_tree (level integer, idx bigint, hash bytea, PRIMARY KEY (level, idx))", 1)]
    [InlineData("UPDATE log_schema SET version = 4", 4)]
    public async Task Open_OtherSchemaVersion_IsRefusedWithTheVersions(string downgrade, int version)
    {
        var connectionString = await CreateSchemaAsync();
        await using (var storage = await PostgresLogStorage.OpenAsync(connectionString, default))
        {
            await storage.ExecuteForTestAsync(downgrade);
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PostgresLogStorage.OpenAsync(connectionString, default));

        Assert.Contains($"schema version {version}, but this version of Concordat reads versions 2 and 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_TwoInstancesOnOneDatabase_NeverAssignOneIndexTwiceNorFork()
    {
        var connectionString = await CreateSchemaAsync();
        await using var storageA = await PostgresLogStorage.OpenAsync(connectionString, default);
        await using var storageB = await PostgresLogStorage.OpenAsync(connectionString, default);
        await using var logA = await TransparencyLog.OpenAsync(storageA, TimeProvider.System, null, default);
        await using var logB = await TransparencyLog.OpenAsync(storageB, TimeProvider.System, null, default);

        var appends = Enumerable.Range(0, 600).Select(i => Task.Run(async () =>
        {
            var entry = LogTestData.Entry(i);
            var result = await LogTestData.AppendAsync(i % 2 == 0 ? logA : logB, entry);
            return (result.Index, Entry: entry);
        }));
        var results = await Task.WhenAll(appends);

        Assert.Equal(Enumerable.Range(0, 600).Select(i => (long)i), results.Select(r => r.Index).Order());
        var stored = await storageA.ReadEntriesAsync(0, 600, default);
        Assert.Equal(results.OrderBy(r => r.Index).Select(r => r.Entry), stored.Select(s => s.Entry));
        var verification = await LogVerifier.VerifyTreeAsync(storageB, default);
        Assert.True(verification.IsValid, verification.Problem?.Message);
        Assert.True(storageA.CommittedTransactions > 0 && storageB.CommittedTransactions > 0);
    }

    private async Task<string> CreateSchemaAsync()
    {
        var schema = $"t{Interlocked.Increment(ref _schemas)}";
        await using (var command = _dataSource!.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString) { SearchPath = schema }.ToString();
    }
}
