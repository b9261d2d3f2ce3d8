using System.Text;
using Concordat.Log;
using Concordat.Merkle;
using Xunit;

namespace Concordat.Testing.Log;

/// <summary>
/// The contract every <see cref="ILogStorage"/> engine passes. A driver's test class inherits this and supplies a
/// fresh, empty storage per test.
/// </summary>
public abstract class LogStorageConformanceTests
{
    /// <summary>Creates a new, empty log storage that the test disposes.</summary>
    protected abstract Task<ILogStorage> CreateStorageAsync();

    /// <summary>Counts the append transactions <paramref name="storage"/> has committed.</summary>
    protected abstract long CountCommittedTransactions(ILogStorage storage);

    /// <summary>Replaces the stored hash of <paramref name="id"/> by 32 zero bytes, behind the log's back.</summary>
    protected abstract Task DamageHashAsync(ILogStorage storage, MerkleNodeId id);

    /// <summary>Deletes the stored checkpoint of <paramref name="treeSize"/> from the history, behind the log's back.</summary>
    protected abstract Task DeleteCheckpointAsync(ILogStorage storage, long treeSize);

    [Fact]
    public async Task AddCheckpoint_WithHistoryRecord_StoresBothAndReplacesTheRecord()
    {
        await using var storage = await CreateStorageAsync();
        Assert.Null(await storage.ReadHistoryRecordAsync(default));

        await storage.AddCheckpointAsync(new StoredCheckpoint(0, "zero\n"), "first record\n", default);
        await storage.AddCheckpointAsync(new StoredCheckpoint(3, "three\n"), "second record\n", default);

        Assert.Equal("second record\n", await storage.ReadHistoryRecordAsync(default));
        Assert.Equal([0L, 3L], (await storage.ReadCheckpointsAsync(0, 10, default)).Select(c => c.TreeSize));
    }

    [Fact]
    public async Task Open_RightEdgeChangedAfterItWasSigned_RefusesToGrowOrSign()
    {
        await using var storage = await CreateStorageAsync();
        await using (var writer = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default))
        {
            await LogTestData.AppendRangeAsync(writer, 0, 5);
            Assert.True((await writer.SignCheckpointAsync(default)).IsSigned);
        }

        // 0/4, the last leaf hash, is on the right edge of a tree of 5.
        await DamageHashAsync(storage, new MerkleNodeId(0, 4));
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default);
        var error = await Assert.ThrowsAsync<LogDamagedException>(() => LogTestData.AppendAsync(log, LogTestData.Entry(5)));
        var checkpoint = await log.SignCheckpointAsync(default);

        Assert.Equal("LOG4113", log.Damage?.Code);
        Assert.Equal("LOG4113", error.Problem.Code);
        Assert.Contains("(LOG4107)", error.Problem.Message, StringComparison.Ordinal);
        Assert.Equal("LOG4107", checkpoint.Problem?.Code);
        Assert.Equal(5, await storage.ReadTreeSizeAsync(default));
    }

    [Fact]
    public async Task Append_RightEdgeChangedWhileTheLogIsOpen_RefusesBeforeCommitting()
    {
        await using var storage = await CreateStorageAsync();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);
        await LogTestData.AppendRangeAsync(log, 0, 5);

        await DamageHashAsync(storage, new MerkleNodeId(0, 4));
        var error = await Assert.ThrowsAsync<LogDamagedException>(() => LogTestData.AppendAsync(log, LogTestData.Entry(5)));
        var again = await Assert.ThrowsAsync<LogDamagedException>(() => LogTestData.AppendAsync(log, LogTestData.Entry(5)));

        Assert.Equal("the log refuses to grow: entry 4 does not match its stored leaf hash (LOG4103)", error.Problem.Message);
        Assert.Equal(error.Problem, again.Problem);
        Assert.Equal(5, await storage.ReadTreeSizeAsync(default));
    }

    [Fact]
    public async Task Open_EntryAppendedAfterTheCheckpointNoLongerMatchesItsHash_RefusesToGrow()
    {
        await using var storage = await CreateStorageAsync();
        await using (var writer = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default))
        {
            await LogTestData.AppendRangeAsync(writer, 0, 3);
            Assert.True((await writer.SignCheckpointAsync(default)).IsSigned);
            await LogTestData.AppendRangeAsync(writer, 3, 2);
        }

        // 0/3 is below the right edge of a tree of 5 (2/0 and 0/4): only hashing the entries since the checkpoint finds it.
        await DamageHashAsync(storage, new MerkleNodeId(0, 3));
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);

        Assert.Equal("the log refuses to grow: entry 3 does not match its stored leaf hash (LOG4103)", log.Damage?.Message);
    }

    [Fact]
    public async Task SignCheckpoint_EntryAppendedSinceTheLastCheckpointNoLongerMatches_RefusesToSign()
    {
        await using var storage = await CreateStorageAsync();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default);
        await LogTestData.AppendRangeAsync(log, 0, 3);
        Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
        await LogTestData.AppendRangeAsync(log, 3, 4);

        await DamageHashAsync(storage, new MerkleNodeId(0, 4));
        var outcome = await log.SignCheckpointAsync(default);

        Assert.Equal("LOG4103", outcome.Problem?.Code);
        Assert.Equal("entry 4 does not match its stored leaf hash", outcome.Problem?.Message);
        Assert.Equal([3L], (await storage.ReadCheckpointsAsync(0, 10, default)).Select(c => c.TreeSize));
    }

    [Fact]
    public async Task Verify_CheckpointDeletedFromTheHistory_IsFoundByTheSignedRecord()
    {
        await using var storage = await CreateStorageAsync();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default);
        for (var i = 0; i < 3; i++)
        {
            await LogTestData.AppendRangeAsync(log, i * 2, 2);
            Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
        }

        var intact = await LogVerifier.VerifyAsync(storage, LogTestData.LogKey.VerifierKey, default);
        await DeleteCheckpointAsync(storage, 4);
        var verification = await LogVerifier.VerifyAsync(storage, LogTestData.LogKey.VerifierKey, default);

        Assert.True(intact.IsValid && intact.IsHistorySigned, intact.Problem?.Message);
        Assert.Equal("LOG4114", verification.Problem?.Code);
        Assert.Contains("holds 3 checkpoints up to tree size 6, but the stored history holds 2", verification.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadTreeSize_NewStorage_IsZero()
    {
        await using var storage = await CreateStorageAsync();

        var size = await storage.ReadTreeSizeAsync(default);

        Assert.Equal(0, size);
        Assert.Null(await storage.ReadLatestCheckpointAsync(default));
    }

    [Fact]
    public async Task TryAppend_AtTreeSize_StoresEntriesAndHashesAsGiven()
    {
        await using var storage = await CreateStorageAsync();
        var first = LogTestData.Batch(new CompactMerkleTree(), 0, 3);

        var committed = await storage.TryAppendAsync(first, default);

        Assert.True(committed);
        Assert.Equal(3, await storage.ReadTreeSizeAsync(default));
        var entries = await storage.ReadEntriesAsync(0, 10, default);
        Assert.Equal([0L, 1L, 2L], entries.Select(e => e.Index));
        Assert.Equal(first.Entries.Select(e => e.ToArray()), entries.Select(e => e.Entry));
        var hashes = await storage.ReadHashesAsync([.. first.Nodes.Select(n => n.Id)], default);
        Assert.Equal(first.Nodes.Select(n => n.Hash.ToArray()), hashes);
    }

    [Fact]
    public async Task TryAppend_StaleStartIndex_WritesNothingAndReturnsFalse()
    {
        await using var storage = await CreateStorageAsync();
        Assert.True(await storage.TryAppendAsync(LogTestData.Batch(new CompactMerkleTree(), 0, 2), default));

        var stale = await storage.TryAppendAsync(LogTestData.Batch(new CompactMerkleTree(), 100, 1), default);

        Assert.False(stale);
        Assert.Equal(2, await storage.ReadTreeSizeAsync(default));
        var entries = await storage.ReadEntriesAsync(0, 10, default);
        Assert.Equal(LogTestData.Entry(0), entries[0].Entry);
        Assert.Equal(2, entries.Count);
    }

    [Fact]
    public async Task TryAppend_ConcurrentAtSameIndex_ExactlyOneCommits()
    {
        await using var storage = await CreateStorageAsync();
        var batches = Enumerable.Range(0, 8).Select(i => LogTestData.Batch(new CompactMerkleTree(), i * 1000, 2)).ToList();

        var results = await Task.WhenAll(batches.Select(b => Task.Run(() => storage.TryAppendAsync(b, default))));

        Assert.Single(results, r => r);
        Assert.Equal(2, await storage.ReadTreeSizeAsync(default));
    }

    [Fact]
    public async Task ReadHashes_NodeNotStored_ReturnsNullInPlace()
    {
        await using var storage = await CreateStorageAsync();
        await storage.TryAppendAsync(LogTestData.Batch(new CompactMerkleTree(), 0, 1), default);

        var hashes = await storage.ReadHashesAsync([new MerkleNodeId(0, 0), new MerkleNodeId(5, 7)], default);

        Assert.NotNull(hashes[0]);
        Assert.Null(hashes[1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(37)]
    [InlineData(300)]
    public async Task ReadHashes_AnyCountNearAndFar_GivesEachStoredHashInPlaceAndNullForOneNotStored(int count)
    {
        // Ids close in storage order share a range scan, far ones do not; an id asked for twice gets its hash twice.
        await using var storage = await CreateStorageAsync();
        var batch = LogTestData.Batch(new CompactMerkleTree(), 0, 1000);
        Assert.True(await storage.TryAppendAsync(batch, default));
        var nodes = batch.Nodes.Where((_, i) => i % 7 == 0 || i > batch.Nodes.Count - 30).Reverse().Take(count - 1).ToList();
        var notStored = new MerkleNodeId(0, 5000);

        var hashes = await storage.ReadHashesAsync([.. nodes.Select(n => n.Id).Prepend(notStored), .. nodes.Take(1).Select(n => n.Id)], default);

        Assert.Null(hashes[0]);
        Assert.Equal(nodes.Select(n => n.Hash.ToArray()), hashes.Skip(1).Take(nodes.Count));
        Assert.Equal(nodes.Take(1).Select(n => n.Hash.ToArray()), hashes.Skip(1 + nodes.Count));
    }

    [Fact]
    public async Task ReadEntries_RangeBeyondSize_ReturnsOnlyStored()
    {
        await using var storage = await CreateStorageAsync();
        await storage.TryAppendAsync(LogTestData.Batch(new CompactMerkleTree(), 0, 5), default);

        var entries = await storage.ReadEntriesAsync(3, 10, default);

        Assert.Equal([3L, 4L], entries.Select(e => e.Index));
    }

    [Fact]
    public async Task AddCheckpoint_SeveralSizes_HistoryIsOrderedAndLatestIsLargest()
    {
        await using var storage = await CreateStorageAsync();

        await storage.AddCheckpointAsync(new StoredCheckpoint(5, "five\n"), null, default);
        await storage.AddCheckpointAsync(new StoredCheckpoint(2, "two\n"), null, default);
        await storage.AddCheckpointAsync(new StoredCheckpoint(9, "nine\n"), null, default);
        await storage.AddCheckpointAsync(new StoredCheckpoint(5, "five again\n"), null, default);

        Assert.Equal(new StoredCheckpoint(9, "nine\n"), await storage.ReadLatestCheckpointAsync(default));
        var history = await storage.ReadCheckpointsAsync(0, 10, default);
        Assert.Equal([2L, 5L, 9L], history.Select(c => c.TreeSize));
        Assert.Equal("five\n", history[1].Note);
        Assert.Equal([5L], (await storage.ReadCheckpointsAsync(3, 1, default)).Select(c => c.TreeSize));
    }

    [Fact]
    public async Task Append_ConcurrentAppenders_GetDistinctDenseIndicesWithTheirOwnBytes()
    {
        await using var storage = await CreateStorageAsync();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(appender => Task.Run(async () =>
        {
            var mine = new List<(long Index, byte[] Entry)>();
            for (var i = 0; i < 25; i++)
            {
                var entry = Encoding.UTF8.GetBytes($"{{\"appender\":{appender},\"n\":{i}}}");
                var result = await log.AppendCanonicalAsync(entry, default);
                mine.Add((result.Index, entry));
            }

            return mine;
        })));

        var all = results.SelectMany(r => r).OrderBy(r => r.Index).ToList();
        Assert.Equal(Enumerable.Range(0, 400).Select(i => (long)i), all.Select(r => r.Index));
        var stored = await storage.ReadEntriesAsync(0, 400, default);
        Assert.Equal(all.Select(r => r.Entry), stored.Select(s => s.Entry));
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);
        Assert.True(verification.IsValid, verification.Problem?.Message);
        Assert.Equal(LogTestData.ReferenceRoot(all.Select(r => r.Entry)), verification.RootHash);
    }

    [Fact]
    public async Task Append_ManyQueuedAtOnce_AreGroupedIntoFewTransactions()
    {
        await using var storage = await CreateStorageAsync();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);
        var before = CountCommittedTransactions(storage);

        var appends = Enumerable.Range(0, 2000).Select(i => log.AppendCanonicalAsync(LogTestData.Entry(i), default)).ToList();
        var results = await Task.WhenAll(appends);

        var transactions = CountCommittedTransactions(storage) - before;
        Assert.All(results, r => Assert.False(r.IsPushback));
        Assert.InRange(transactions, 1, 2000 / 4);
        Assert.Equal(2000, await storage.ReadTreeSizeAsync(default));
    }

    [Fact]
    public async Task Append_QueueFull_ReturnsPushbackWithRetryAfter()
    {
        await using var storage = await CreateStorageAsync();
        var options = new TransparencyLogOptions { QueueCapacity = 1, MaxBatchSize = 1, RetryAfterSeconds = 7 };
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, options, default);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => log.AppendCanonicalAsync(LogTestData.Entry(i), default)));

        var pushback = Assert.Single(results.Where(r => r.IsPushback).Take(1));
        Assert.Equal(TimeSpan.FromSeconds(7), pushback.RetryAfter);
        Assert.Throws<InvalidOperationException>(() => pushback.Index);
        var logged = results.Where(r => !r.IsPushback).Select(r => r.Index).Order().ToList();
        Assert.Equal(Enumerable.Range(0, logged.Count).Select(i => (long)i), logged);
    }

    [Fact]
    public async Task Open_AfterAppends_ContinuesTheSameTree()
    {
        await using var storage = await CreateStorageAsync();
        await using (var first = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default))
        {
            for (var i = 0; i < 7; i++)
            {
                await first.AppendCanonicalAsync(LogTestData.Entry(i), default);
            }
        }

        await using var second = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);
        var result = await second.AppendCanonicalAsync(LogTestData.Entry(7), default);

        Assert.Equal(7, result.Index);
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);
        Assert.True(verification.IsValid, verification.Problem?.Message);
        Assert.Equal(LogTestData.ReferenceRoot(Enumerable.Range(0, 8).Select(i => LogTestData.Entry(i))), verification.RootHash);
    }
}
