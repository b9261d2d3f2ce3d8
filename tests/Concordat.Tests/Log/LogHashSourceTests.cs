using Concordat.Log;
using Concordat.Merkle;
using Concordat.Testing.Log;

namespace Concordat.Tests.Log;

public sealed class LogHashSourceTests
{
    private const int Entries = 3000;

    [Fact]
    public async Task Proofs_ThroughACache_AreTheProofsFromStorageAndVerify()
    {
        await using var storage = await StoredLogAsync();
        var cache = new LogHashCache();
        var plain = new LogHashSource(storage);
        var root = LogTestData.ReferenceRoot(Enumerable.Range(0, Entries).Select(i => LogTestData.Entry(i)));

        foreach (var index in new long[] { 0, 1, 255, 256, 1023, 2047, 2999 })
        {
            // Each proof through a new source over the same cache, as the gateway makes them, twice: cold and warm.
            for (var pass = 0; pass < 2; pass++)
            {
                var cached = await MerkleProofs.CreateInclusionProofAsync(new LogHashSource(storage, cache), index, Entries);
                Assert.Equal(await MerkleProofs.CreateInclusionProofAsync(plain, index, Entries), cached);
                Assert.True(MerkleProofVerifier.VerifyInclusion(MerkleHash.OfLeaf(LogTestData.Entry(index)), index, Entries, cached, root).IsValid);
            }
        }

        foreach (var size in new long[] { 1, 256, 257, 1024, 2500 })
        {
            var cached = await MerkleProofs.CreateConsistencyProofAsync(new LogHashSource(storage, cache), size, Entries);
            Assert.Equal(await MerkleProofs.CreateConsistencyProofAsync(plain, size, Entries), cached);
        }

        Assert.InRange(cache.Count, 1, Entries / 256 * 2);
    }

    [Fact]
    public async Task ReadNodeHashes_UpperLevelHashCached_IsServedWithoutStorage()
    {
        await using var storage = await StoredLogAsync();
        var cache = new LogHashCache();
        var upper = new MerkleNodeId(LogHashCache.MinLevel, 1);
        var lower = new MerkleNodeId(LogHashCache.MinLevel - 1, 1);
        var read = new MerkleHash[2];
        await new LogHashSource(storage, cache).ReadNodeHashesAsync([upper, lower], read, default);
        await using var empty = new MemoryLogStorage();
        var again = new MerkleHash[1];

        await new LogHashSource(empty, cache).ReadNodeHashesAsync([upper], again, default);

        Assert.Equal(read[0], again[0]);
        Assert.Equal(1, cache.Count);
        await Assert.ThrowsAsync<InvalidDataException>(async () => await new LogHashSource(empty, cache).ReadNodeHashesAsync([lower], again, default));
    }

    [Fact]
    public async Task Add_PastCapacity_KeepsTheCountWithinIt()
    {
        await using var storage = await StoredLogAsync();
        var cache = new LogHashCache(capacity: 3);
        var ids = Enumerable.Range(0, Entries >> LogHashCache.MinLevel).Select(i => new MerkleNodeId(LogHashCache.MinLevel, i)).ToArray();

        await new LogHashSource(storage, cache).ReadNodeHashesAsync(ids, new MerkleHash[ids.Length], default);

        Assert.InRange(cache.Count, 1, 3);
    }

    private static async Task<MemoryLogStorage> StoredLogAsync()
    {
        var storage = new MemoryLogStorage();
        var tree = new CompactMerkleTree();
        Assert.True(await storage.TryAppendAsync(LogTestData.Batch(tree, 0, Entries), default));
        return storage;
    }
}
