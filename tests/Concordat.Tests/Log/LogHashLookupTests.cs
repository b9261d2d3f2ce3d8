using Concordat.Log;
using Concordat.Merkle;

namespace Concordat.Tests.Log;

public sealed class LogHashLookupTests
{
    [Fact]
    public void Scans_IdsNearAndFar_OneScanPerGroupCoveringEveryRunThatCanHoldThem()
    {
        MerkleNodeId[] ids = [Leaf(1000), Leaf(2), Leaf(5), Leaf(1001)];
        var keys = ids.Select(i => i.StoredIndex).Order().ToArray();

        var lookup = new LogHashLookup(ids, maxPerRun: 10, maxGapInRuns: 2);

        Assert.Equal([new LogHashScan(keys[0] - 10, keys[1]), new LogHashScan(keys[2] - 10, keys[3])], lookup.Scans);
    }

    [Fact]
    public void Take_RunsInAscendingStart_EachIdSlicedFromTheLastRunAtOrBelowIt()
    {
        // Stored indices: leaf 2 is 3, leaf 3 is 4, leaf 4 is 7, leaf 5 is 8.
        MerkleNodeId[] ids = [Leaf(5), Leaf(2), Leaf(4), Leaf(3), Leaf(2)];
        var lookup = new LogHashLookup(ids, maxPerRun: 10, maxGapInRuns: 2);

        lookup.Take(0, Hashes(0, 6));
        lookup.Take(7, Hashes(7, 2).AsSpan(0, 48));

        Assert.Equal(Hashes(8, 1)[..16], lookup.Result[0]);
        Assert.Equal(Hashes(3, 1), lookup.Result[1]);
        Assert.Equal(Hashes(7, 1), lookup.Result[2]);
        Assert.Equal(Hashes(4, 1), lookup.Result[3]);
        Assert.Equal(Hashes(3, 1), lookup.Result[4]);
    }

    [Fact]
    public void Take_IdBelowEveryRunOrBeyondItsRunsEnd_IsMissing()
    {
        MerkleNodeId[] ids = [Leaf(0), Leaf(3)];
        var lookup = new LogHashLookup(ids, maxPerRun: 10, maxGapInRuns: 2);

        lookup.Take(2, Hashes(2, 2));

        Assert.Null(lookup.Result[0]);
        Assert.Null(lookup.Result[1]);
    }

    [Fact]
    public void Constructor_GapShorterThanARun_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogHashLookup([Leaf(0)], maxPerRun: 10, maxGapInRuns: 0));
    }

    private static MerkleNodeId Leaf(long index) => new(0, index);

    // Hashes of stored indices start, start + 1, ...: each 32 bytes of its own index.
    private static byte[] Hashes(long start, int count) =>
        [.. Enumerable.Range(0, count).SelectMany(i => Enumerable.Repeat((byte)(start + i), Rfc6962.HashSize))];
}
