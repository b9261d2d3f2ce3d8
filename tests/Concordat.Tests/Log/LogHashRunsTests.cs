using Concordat.Log;
using Concordat.Merkle;

namespace Concordat.Tests.Log;

public sealed class LogHashRunsTests
{
    [Fact]
    public void Split_OneBatchInStoredOrder_CutsAtTheMaximum()
    {
        var tree = new CompactMerkleTree();
        var nodes = new List<MerkleNode>();
        for (var i = 0; i < 10; i++)
        {
            tree.Append(MerkleHash.OfLeaf([(byte)i]), nodes);
        }

        var runs = LogHashRuns.Split(nodes, 8).ToList();

        Assert.Equal(nodes.Count, runs.Sum(r => r.Count));
        Assert.All(runs, r => Assert.InRange(r.Count, 1, 8));
        Assert.Equal(nodes.Count / 8 + (nodes.Count % 8 == 0 ? 0 : 1), runs.Count);
        Assert.All(runs, r => Assert.Equal(nodes[r.Offset].Id.StoredIndex, r.FirstStoredIndex));
        Assert.All(runs, r => Assert.All(Enumerable.Range(0, r.Count), i => Assert.Equal(r.FirstStoredIndex + i, nodes[r.Offset + i].Id.StoredIndex)));
    }

    [Fact]
    public void Split_NodesOutOfOrder_StartsANewRunAtEachGap()
    {
        var hash = MerkleHash.OfLeaf([1]);
        MerkleNode[] nodes = [new(new MerkleNodeId(0, 2), hash), new(new MerkleNodeId(0, 0), hash), new(new MerkleNodeId(0, 1), hash)];

        var runs = LogHashRuns.Split(nodes, 60).ToList();

        Assert.Equal([(0, 1), (1, 2)], runs.Select(r => (r.Offset, r.Count)));
        Assert.Equal([nodes[0].Id.StoredIndex, nodes[1].Id.StoredIndex], runs.Select(r => r.FirstStoredIndex));
    }
}
