using Concordat.Merkle;
using Concordat.Testing.Merkle;

namespace Concordat.Tests.Merkle;

public sealed class MerkleProofsTests
{
    private const int CrossCheckSize = 300;

    [Fact]
    public async Task CreateInclusionProofAsync_PublishedVectors_MatchExactly()
    {
        var source = CreateSource(Rfc6962Vectors.Leaves);

        foreach (var (index, size, expected) in Rfc6962Vectors.InclusionProofs)
        {
            var proof = await MerkleProofs.CreateInclusionProofAsync(source, index, size);

            Assert.Equal(expected, proof.Select(h => h.ToString()));
        }
    }

    [Fact]
    public async Task CreateConsistencyProofAsync_PublishedVectors_MatchExactly()
    {
        var source = CreateSource(Rfc6962Vectors.Leaves);

        foreach (var (size1, size2, expected) in Rfc6962Vectors.ConsistencyProofs)
        {
            var proof = await MerkleProofs.CreateConsistencyProofAsync(source, size1, size2);

            Assert.Equal(expected, proof.Select(h => h.ToString()));
        }
    }

    [Fact]
    public async Task CreateInclusionProofAsync_EveryIndexOfEverySizeUpTo300_MatchesReference()
    {
        var leaves = CreateLeaves(CrossCheckSize, seed: 1);
        var source = CreateSource(leaves);
        var reference = new ReferenceMerkleTree(leaves);

        for (var size = 1; size <= CrossCheckSize; size++)
        {
            for (var index = 0; index < size; index++)
            {
                var proof = await MerkleProofs.CreateInclusionProofAsync(source, index, size);

                AssertSameHashes(reference.Path(index, size), proof, $"inclusion {index} in {size}");
            }
        }
    }

    [Fact]
    public async Task CreateConsistencyProofAsync_EveryPairOfSizesUpTo300_MatchesReference()
    {
        var leaves = CreateLeaves(CrossCheckSize, seed: 2);
        var source = CreateSource(leaves);
        var reference = new ReferenceMerkleTree(leaves);

        for (var size2 = 1; size2 <= CrossCheckSize; size2++)
        {
            for (var size1 = 1; size1 <= size2; size1++)
            {
                var proof = await MerkleProofs.CreateConsistencyProofAsync(source, size1, size2);

                AssertSameHashes(reference.Proof(size1, size2), proof, $"consistency {size1} to {size2}");
            }
        }
    }

    [Fact]
    public async Task ComputeRootAsync_EverySizeUpTo300_MatchesReference()
    {
        var leaves = CreateLeaves(CrossCheckSize, seed: 3);
        var source = CreateSource(leaves);
        var reference = new ReferenceMerkleTree(leaves);

        for (var size = 0; size <= CrossCheckSize; size++)
        {
            var root = await MerkleProofs.ComputeRootAsync(source, size);

            Assert.Equal(Convert.ToHexStringLower(reference.Root(0, size)), root.ToString());
        }
    }

    [Fact]
    public async Task ComputeRangeRootAsync_AlignedRanges_MatchReference()
    {
        var leaves = CreateLeaves(64, seed: 4);
        var source = CreateSource(leaves);
        var reference = new ReferenceMerkleTree(leaves);

        foreach (var (begin, end) in new[] { (8, 13), (8, 16), (0, 64), (32, 33), (48, 63), (5, 5) })
        {
            var root = await MerkleProofs.ComputeRangeRootAsync(source, begin, end);

            Assert.Equal(Convert.ToHexStringLower(reference.Root(begin, end)), root.ToString());
        }
    }

    [Fact]
    public async Task ComputeRangeRootAsync_UnalignedRange_Throws()
    {
        var source = CreateSource(CreateLeaves(16, seed: 5));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleProofs.ComputeRangeRootAsync(source, 4, 12));
    }

    [Fact]
    public async Task CreateProofs_RandomLargerTrees_MatchReference()
    {
        var random = new Random(20261121);
        for (var round = 0; round < 4; round++)
        {
            var size = random.Next(1000, 6000);
            var leaves = CreateLeaves(size, seed: round + 10);
            var source = CreateSource(leaves);
            var reference = new ReferenceMerkleTree(leaves);

            for (var probe = 0; probe < 50; probe++)
            {
                var treeSize = random.Next(1, size + 1);
                var index = random.Next(0, treeSize);
                var size1 = random.Next(1, treeSize + 1);

                var inclusion = await MerkleProofs.CreateInclusionProofAsync(source, index, treeSize);
                var consistency = await MerkleProofs.CreateConsistencyProofAsync(source, size1, treeSize);

                AssertSameHashes(reference.Path(index, treeSize), inclusion, $"inclusion {index} in {treeSize}");
                AssertSameHashes(reference.Proof(size1, treeSize), consistency, $"consistency {size1} to {treeSize}");
                Assert.True(MerkleProofVerifier.VerifyInclusion(MerkleHash.OfLeaf(leaves[index]), index, treeSize, inclusion, await MerkleProofs.ComputeRootAsync(source, treeSize)).IsValid);
            }
        }
    }

    [Fact]
    public async Task CreateInclusionProofAsync_IndexOutsideTree_Throws()
    {
        var source = CreateSource(CreateLeaves(4, seed: 6));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await MerkleProofs.CreateInclusionProofAsync(source, 4, 4));
    }

    [Fact]
    public async Task CreateInclusionProofAsync_SizeBeyondStoredTree_ThrowsFromSource()
    {
        var source = CreateSource(CreateLeaves(4, seed: 7));

        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await MerkleProofs.CreateInclusionProofAsync(source, 0, 9));
    }

    internal static List<byte[]> CreateLeaves(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var leaf = new byte[random.Next(0, 40)];
            random.NextBytes(leaf);
            return leaf;
        }).ToList();
    }

    internal static MemoryMerkleHashSource CreateSource(IEnumerable<byte[]> leaves)
    {
        var source = new MemoryMerkleHashSource();
        foreach (var leaf in leaves)
        {
            source.Append(MerkleHash.OfLeaf(leaf));
        }

        return source;
    }

    private static void AssertSameHashes(List<byte[]> expected, IReadOnlyList<MerkleHash> actual, string what)
    {
        var expectedHex = expected.Select(Convert.ToHexStringLower).ToList();
        var actualHex = actual.Select(h => h.ToString()).ToList();
        Assert.True(expectedHex.SequenceEqual(actualHex), what);
    }
}
