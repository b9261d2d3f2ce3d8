using Concordat.Merkle;
using Concordat.Testing.Merkle;

namespace Concordat.Tests.Merkle;

public sealed class CompactMerkleTreeTests
{
    [Fact]
    public void ComputeRoot_PublishedVectors_MatchEverySize()
    {
        var tree = new CompactMerkleTree();

        var roots = new List<string> { tree.ComputeRoot().ToString() };
        foreach (var leaf in Rfc6962Vectors.Leaves)
        {
            tree.Append(MerkleHash.OfLeaf(leaf));
            roots.Add(tree.ComputeRoot().ToString());
        }

        Assert.Equal(Rfc6962Vectors.Roots, roots);
    }

    [Fact]
    public void Append_PublishedVectors_ReportsEveryCompleteNodeOnce()
    {
        var tree = new CompactMerkleTree();
        var completed = new List<MerkleNode>();

        foreach (var leaf in Rfc6962Vectors.Leaves)
        {
            tree.Append(MerkleHash.OfLeaf(leaf), completed);
        }

        var expected = Rfc6962Vectors.NodeHashes
            .SelectMany((level, l) => level.Select((hash, i) => $"{l}/{i}={hash}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, completed.Select(n => $"{n.Id}={n.Hash}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ComputeRoot_EverySizeUpTo300_MatchesReference()
    {
        var leaves = Enumerable.Range(0, 300).Select(i => BitConverter.GetBytes(i * 7919)).ToList();
        var reference = new ReferenceMerkleTree(leaves);
        var tree = new CompactMerkleTree();

        for (var size = 0; size <= leaves.Count; size++)
        {
            Assert.Equal(Convert.ToHexStringLower(reference.Root(0, size)), tree.ComputeRoot().ToString());
            if (size < leaves.Count)
            {
                tree.Append(MerkleHash.OfLeaf(leaves[size]));
            }
        }
    }

    [Fact]
    public void FromFrontier_StoredFrontier_ContinuesWithTheSameRoots()
    {
        var source = new MemoryMerkleHashSource();
        for (var i = 0; i < 45; i++)
        {
            source.Append(MerkleHash.OfLeaf([(byte)i]));
        }

        var frontier = CompactMerkleTree.GetFrontierIds(45).Select(source.GetNodeHash).ToList();
        var restored = CompactMerkleTree.FromFrontier(45, frontier);
        restored.Append(MerkleHash.OfLeaf([45]));
        source.Append(MerkleHash.OfLeaf([45]));

        Assert.Equal(["5/0", "3/4", "2/10", "0/44"], CompactMerkleTree.GetFrontierIds(45).Select(id => id.ToString()));
        Assert.Equal(source.ComputeRoot(), restored.ComputeRoot());
        Assert.Equal(46, restored.Size);
    }

    [Fact]
    public void FromFrontier_WrongNumberOfHashes_Throws()
    {
        Assert.Throws<ArgumentException>(() => CompactMerkleTree.FromFrontier(3, [MerkleHash.Empty]));
    }

    [Fact]
    public void StoredIndex_AppendOrder_CountsUpFromZeroWithoutGaps()
    {
        var tree = new CompactMerkleTree();
        var completed = new List<MerkleNode>();
        for (var leaf = 0; leaf < 1_000; leaf++)
        {
            tree.Append(MerkleHash.OfLeaf([(byte)leaf, (byte)(leaf >> 8)]), completed);
        }

        Assert.Equal(Enumerable.Range(0, completed.Count).Select(i => (long)i), completed.Select(n => n.Id.StoredIndex));
    }

    [Fact]
    public void StoredIndex_LargeTree_MatchesClosedFormAtTheTop()
    {
        // The root of a perfect tree of 2^61 leaves is the last of its 2^62 - 1 stored hashes.
        Assert.Equal((1L << 62) - 2, new MerkleNodeId(61, 0).StoredIndex);
    }
}
