using Concordat.Merkle;
using Concordat.Testing.Merkle;

namespace Concordat.Tests.Merkle;

public sealed class MerkleProofVerifierTests
{
    private static readonly MerkleHash s_someHash = H("abacaba000000000000000000000000000000000000000000060061e00123456");

    [Fact]
    public void VerifyInclusion_PublishedVectors_Hold()
    {
        foreach (var (index, size, proof) in Rfc6962Vectors.InclusionProofs)
        {
            var leafHash = MerkleHash.OfLeaf(Rfc6962Vectors.Leaves[(int)index]);

            var result = MerkleProofVerifier.VerifyInclusion(leafHash, index, size, proof.Select(H).ToList(), H(Rfc6962Vectors.Roots[(int)size]));

            Assert.True(result.IsValid, result.Reason);
        }
    }

    [Fact]
    public void VerifyConsistency_PublishedVectors_Hold()
    {
        foreach (var (size1, size2, proof) in Rfc6962Vectors.ConsistencyProofs)
        {
            var result = MerkleProofVerifier.VerifyConsistency(size1, size2, H(Rfc6962Vectors.Roots[(int)size1]), H(Rfc6962Vectors.Roots[(int)size2]), proof.Select(H).ToList());

            Assert.True(result.IsValid, result.Reason);
        }
    }

    [Fact]
    public void VerifyInclusion_CorruptedPublishedVectors_AllFail()
    {
        foreach (var (index, size, proofHex) in Rfc6962Vectors.InclusionProofs.Where(v => v.Proof.Length > 0))
        {
            var leafHash = MerkleHash.OfLeaf(Rfc6962Vectors.Leaves[(int)index]);
            var root = H(Rfc6962Vectors.Roots[(int)size]);
            var proof = proofHex.Select(H).ToList();

            foreach (var (i, n, leaf, r, p, what) in CorruptInclusion(index, size, leafHash, root, proof))
            {
                Assert.False(MerkleProofVerifier.VerifyInclusion(leaf, i, n, p, r).IsValid, what);
            }
        }
    }

    [Fact]
    public void VerifyConsistency_CorruptedPublishedVectors_AllFail()
    {
        foreach (var (size1, size2, proofHex) in Rfc6962Vectors.ConsistencyProofs.Where(v => v.Proof.Length > 0))
        {
            var root1 = H(Rfc6962Vectors.Roots[(int)size1]);
            var root2 = H(Rfc6962Vectors.Roots[(int)size2]);
            var proof = proofHex.Select(H).ToList();

            foreach (var (m, n, r1, r2, p, what) in CorruptConsistency(size1, size2, root1, root2, proof))
            {
                Assert.False(MerkleProofVerifier.VerifyConsistency(m, n, r1, r2, p).IsValid, what);
            }
        }
    }

    [Fact]
    public async Task VerifyBoth_EveryProofUpTo64_HoldsAndEveryCorruptionFails()
    {
        var leaves = MerkleProofsTests.CreateLeaves(64, seed: 11);
        var source = MerkleProofsTests.CreateSource(leaves);
        var roots = new List<MerkleHash>();
        for (var size = 0; size <= 64; size++)
        {
            roots.Add(await MerkleProofs.ComputeRootAsync(source, size));
        }

        for (var size = 1; size <= 64; size++)
        {
            for (var index = 0; index < size; index++)
            {
                var proof = await MerkleProofs.CreateInclusionProofAsync(source, index, size);
                var leafHash = MerkleHash.OfLeaf(leaves[index]);
                Assert.True(MerkleProofVerifier.VerifyInclusion(leafHash, index, size, proof, roots[size]).IsValid);
                foreach (var (i, n, leaf, r, p, what) in CorruptInclusion(index, size, leafHash, roots[size], proof.ToList()))
                {
                    Assert.False(MerkleProofVerifier.VerifyInclusion(leaf, i, n, p, r).IsValid, $"{what} for {index} in {size}");
                }

                var size1 = index + 1;
                var consistency = await MerkleProofs.CreateConsistencyProofAsync(source, size1, size);
                Assert.True(MerkleProofVerifier.VerifyConsistency(size1, size, roots[size1], roots[size], consistency).IsValid);
                if (consistency.Count > 0)
                {
                    foreach (var (m, n, r1, r2, p, what) in CorruptConsistency(size1, size, roots[size1], roots[size], consistency.ToList()))
                    {
                        Assert.False(MerkleProofVerifier.VerifyConsistency(m, n, r1, r2, p).IsValid, $"{what} for {size1} to {size}");
                    }
                }
            }
        }
    }

    [Fact]
    public void VerifyInclusion_WrongRoot_ReportsExpectedAndCalculated()
    {
        var (index, size, proof) = Rfc6962Vectors.InclusionProofs[0];
        var leafHash = MerkleHash.OfLeaf(Rfc6962Vectors.Leaves[0]);

        var result = MerkleProofVerifier.VerifyInclusion(leafHash, index, size, proof.Select(H).ToList(), s_someHash);

        Assert.Equal(ProofFailure.RootMismatch, result.Failure);
        Assert.Equal(s_someHash, result.Expected);
        Assert.Equal(H(Rfc6962Vectors.Roots[8]), result.Calculated);
        Assert.Equal(8, result.TreeSize);
    }

    [Fact]
    public void VerifyInclusion_ShortProof_ReportsWrongProofSize()
    {
        var (index, size, proof) = Rfc6962Vectors.InclusionProofs[0];

        var result = MerkleProofVerifier.VerifyInclusion(MerkleHash.OfLeaf([]), index, size, proof.Take(2).Select(H).ToList(), H(Rfc6962Vectors.Roots[8]));

        Assert.Equal(ProofFailure.WrongProofSize, result.Failure);
        Assert.Equal(3, result.ExpectedProofSize);
        Assert.Equal(2, result.ActualProofSize);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(-1, 4)]
    public void VerifyInclusion_IndexOutsideTree_ReportsIndexOutOfRange(long index, long size)
    {
        var result = MerkleProofVerifier.VerifyInclusion(s_someHash, index, size, [], MerkleHash.Empty);

        Assert.Equal(ProofFailure.IndexOutOfRange, result.Failure);
    }

    [Fact]
    public void VerifyConsistency_EdgeCases_FollowRfc9162AndRefuseTheEmptyOlderTree()
    {
        var root1 = H(Rfc6962Vectors.Roots[1]);
        var root2 = H(Rfc6962Vectors.Roots[2]);

        Assert.True(MerkleProofVerifier.VerifyConsistency(0, 0, MerkleHash.Empty, MerkleHash.Empty, []).IsValid);
        Assert.Equal(ProofFailure.EmptyOlderTree, MerkleProofVerifier.VerifyConsistency(0, 2, MerkleHash.Empty, root2, []).Failure);
        Assert.Equal(ProofFailure.EmptyOlderTree, MerkleProofVerifier.VerifyConsistency(0, 2, s_someHash, s_someHash, []).Failure);
        Assert.True(MerkleProofVerifier.VerifyConsistency(1, 1, root1, root1, []).IsValid);
        Assert.Equal(ProofFailure.RootMismatch, MerkleProofVerifier.VerifyConsistency(1, 1, root1, root2, []).Failure);
        Assert.Equal(ProofFailure.SizesReversed, MerkleProofVerifier.VerifyConsistency(2, 1, root2, root1, []).Failure);
        Assert.Equal(ProofFailure.WrongProofSize, MerkleProofVerifier.VerifyConsistency(1, 2, root1, root2, []).Failure);
        Assert.Equal(ProofFailure.EmptyOlderTree, MerkleProofVerifier.VerifyConsistency(0, 1, MerkleHash.Empty, root1, [MerkleHash.Empty]).Failure);
        Assert.Equal(ProofFailure.WrongProofSize, MerkleProofVerifier.VerifyConsistency(1, 1, root1, root1, [MerkleHash.Empty]).Failure);
    }

    [Fact]
    public void VerifyConsistency_WrongOldRoot_NamesTheOldTree()
    {
        var (size1, size2, proof) = Rfc6962Vectors.ConsistencyProofs[2];

        var result = MerkleProofVerifier.VerifyConsistency(size1, size2, s_someHash, H(Rfc6962Vectors.Roots[8]), proof.Select(H).ToList());

        Assert.Equal(ProofFailure.RootMismatch, result.Failure);
        Assert.Equal(size1, result.TreeSize);
        Assert.Equal(H(Rfc6962Vectors.Roots[6]), result.Calculated);
    }

    internal static MerkleHash H(string hex) => MerkleHash.TryParseHex(hex, out var hash) ? hash : throw new FormatException(hex);

    // The corruptions transparency-dev/merkle's verify_test.go applies: wrong index and sizes, wrong leaf and roots,
    // hashes added, removed or flipped.
    private static IEnumerable<(long Index, long Size, MerkleHash Leaf, MerkleHash Root, List<MerkleHash> Proof, string What)> CorruptInclusion(
        long index, long size, MerkleHash leaf, MerkleHash root, List<MerkleHash> proof)
    {
        yield return (index - 1, size, leaf, root, proof, "index - 1");
        yield return (index + 1, size, leaf, root, proof, "index + 1");
        yield return (index ^ 2, size, leaf, root, proof, "index ^ 2");
        yield return (index, size * 2, leaf, root, proof, "size * 2");
        yield return (index, size / 2, leaf, root, proof, "size / 2");
        yield return (index, size, s_someHash, root, proof, "wrong leaf");
        yield return (index, size, leaf, MerkleHash.Empty, proof, "empty root");
        yield return (index, size, leaf, s_someHash, proof, "random root");
        yield return (index, size, leaf, root, [.. proof, root], "trailing root");
        yield return (index, size, leaf, root, [root, .. proof], "preceding root");
        for (var i = 0; i < proof.Count; i++)
        {
            yield return (index, size, leaf, root, Flip(proof, i), $"flipped proof[{i}]");
        }

        if (proof.Count > 0)
        {
            yield return (index, size, leaf, root, proof[..^1], "removed component");
        }

        if (proof.Count > 1)
        {
            yield return (index, size, leaf, root, [proof[0], s_someHash, .. proof[1..]], "inserted component");
        }
    }

    private static IEnumerable<(long Size1, long Size2, MerkleHash Root1, MerkleHash Root2, List<MerkleHash> Proof, string What)> CorruptConsistency(
        long size1, long size2, MerkleHash root1, MerkleHash root2, List<MerkleHash> proof)
    {
        yield return (size1 - 1, size2, root1, root2, proof, "size1 - 1");
        yield return (size1 + 1, size2, root1, root2, proof, "size1 + 1");
        yield return (size1 ^ 2, size2, root1, root2, proof, "size1 ^ 2");
        yield return (size1, size2 * 2, root1, root2, proof, "size2 * 2");
        yield return (size1, size2 / 2, root1, root2, proof, "size2 / 2");
        yield return (size1, size2, s_someHash, root2, proof, "wrong root1");
        yield return (size1, size2, root1, s_someHash, proof, "wrong root2");
        yield return (size1, size2, root2, root1, proof, "swapped roots");
        yield return (size1, size2, root1, root2, [], "empty proof");
        yield return (size1, size2, root1, root2, [.. proof, root1], "trailing root1");
        yield return (size1, size2, root1, root2, [.. proof, root2], "trailing root2");
        yield return (size1, size2, root1, root2, [root1, .. proof], "preceding root1");
        yield return (size1, size2, root1, root2, [root2, .. proof], "preceding root2");
        yield return (size1, size2, root1, root2, [proof[0], .. proof], "preceding proof[0]");
        yield return (size1, size2, root1, root2, proof[..^1], "truncated proof");
        for (var i = 0; i < proof.Count; i++)
        {
            yield return (size1, size2, root1, root2, Flip(proof, i), $"flipped proof[{i}]");
        }
    }

    private static List<MerkleHash> Flip(List<MerkleHash> proof, int i)
    {
        var bytes = proof[i].ToArray();
        bytes[0] ^= 8;
        var copy = proof.ToList();
        copy[i] = MerkleHash.FromBytes(bytes);
        return copy;
    }
}
