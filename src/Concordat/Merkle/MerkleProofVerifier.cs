namespace Concordat.Merkle;

/// <summary>
/// Verifies RFC 9162 inclusion and consistency proofs. Pure: no I/O, no dependency on the code that writes logs.
/// </summary>
public static class MerkleProofVerifier
{
    /// <summary>Verifies that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree of <paramref name="size"/> leaves with root <paramref name="root"/>.</summary>
    /// <param name="leafHash">The RFC 6962 leaf hash.</param>
    /// <param name="index">The leaf index.</param>
    /// <param name="size">The tree size.</param>
    /// <param name="proof">The audit path, bottom-up.</param>
    /// <param name="root">The root hash the caller trusts, for example from a verified checkpoint.</param>
    /// <returns>Valid, or why not.</returns>
    public static ProofVerification VerifyInclusion(MerkleHash leafHash, long index, long size, IReadOnlyList<MerkleHash> proof, MerkleHash root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || size > CompactMerkleTree.MaxSize || index >= size)
        {
            return ProofVerification.IndexOutOfRange($"leaf index `{index}` is not inside a tree of size `{size}`");
        }

        var expectedSize = MerkleTreeMath.InclusionPathLength(index, size);
        if (proof.Count != expectedSize)
        {
            return ProofVerification.WrongProofSize(expectedSize, proof.Count);
        }

        var calculated = RootFromInclusionProof(leafHash, index, size, proof);
        return calculated == root ? ProofVerification.Valid : ProofVerification.RootMismatch(size, root, calculated);
    }

    /// <summary>Verifies that the tree of <paramref name="size2"/> leaves with root <paramref name="root2"/> extends the tree of
    /// <paramref name="size1"/> leaves with root <paramref name="root1"/>.</summary>
    /// <param name="size1">The older tree size.</param>
    /// <param name="size2">The newer tree size.</param>
    /// <param name="root1">The older root hash.</param>
    /// <param name="root2">The newer root hash.</param>
    /// <param name="proof">The consistency proof; empty when <paramref name="size1"/> equals <paramref name="size2"/>.</param>
    /// <returns>Valid, or why not.</returns>
    /// <remarks>
    /// When the sizes are equal the proof MUST be empty and the roots MUST be equal. A proof from
    /// <paramref name="size1"/> 0 to a larger tree is refused (<see cref="ProofFailure.EmptyOlderTree"/>), as
    /// transparency-dev/merkle's <c>RootFromConsistencyProof</c> refuses it: it would examine no root at all. A caller
    /// that knows the older tree is empty needs no proof.
    /// </remarks>
    public static ProofVerification VerifyConsistency(long size1, long size2, MerkleHash root1, MerkleHash root2, IReadOnlyList<MerkleHash> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size2 > CompactMerkleTree.MaxSize)
        {
            return ProofVerification.IndexOutOfRange($"tree sizes `{size1}` and `{size2}` are not between 0 and 2^62");
        }

        if (size2 < size1)
        {
            return ProofVerification.SizesReversed(size1, size2);
        }

        if (size1 == size2)
        {
            if (proof.Count != 0)
            {
                return ProofVerification.WrongProofSize(0, proof.Count);
            }

            return root1 == root2 ? ProofVerification.Valid : ProofVerification.RootMismatch(size2, root1, root2);
        }

        // Security: from size 0 no root is examined, so "valid" would vouch for any tree with any root; a caller that
        // treated it as a check of the newer root would be fooled (transparency-dev/merkle: "meaningless").
        if (size1 == 0)
        {
            return ProofVerification.EmptyOlderTree(size2);
        }

        var expectedSize = MerkleTreeMath.ConsistencyProofLength(size1, size2);
        if (proof.Count != expectedSize)
        {
            return ProofVerification.WrongProofSize(expectedSize, proof.Count);
        }

        return RunConsistency(size1, size2, root1, root2, proof, expectedSize);
    }

    /// <summary>Calculates the root implied by an inclusion proof (RFC 9162 §2.1.3.2), without comparing it.</summary>
    /// <param name="leafHash">The RFC 6962 leaf hash.</param>
    /// <param name="index">The leaf index, inside the tree.</param>
    /// <param name="size">The tree size.</param>
    /// <param name="proof">The audit path, bottom-up, of the right length.</param>
    /// <returns>The calculated root.</returns>
    /// <exception cref="ArgumentException">The index, size or proof length do not fit together.</exception>
    public static MerkleHash RootFromInclusionProof(MerkleHash leafHash, long index, long size, IReadOnlyList<MerkleHash> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= size)
        {
            throw new ArgumentException($"leaf index `{index}` is not inside a tree of size `{size}`", nameof(index));
        }

        // Spec: RFC 9162 §2.1.3.2, steps 2 to 5.
        var fn = index;
        var sn = size - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                throw new ArgumentException("the proof is longer than the path", nameof(proof));
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.OfChildren(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.OfChildren(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            throw new ArgumentException("the proof is shorter than the path", nameof(proof));
        }

        return r;
    }

    // Spec: RFC 9162 §2.1.4.2, for 0 < size1 < size2 and a proof of the expected length.
    private static ProofVerification RunConsistency(long size1, long size2, MerkleHash root1, MerkleHash root2, IReadOnlyList<MerkleHash> proof, int expectedSize)
    {
        // Step 1: when size1 is a power of two its root is the first element of the path.
        var path = long.IsPow2(size1) ? [root1, .. proof] : proof;
        var fn = size1 - 1;
        var sn = size2 - 1;

        // Step 3.
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        // Step 4.
        var fr = path[0];
        var sr = path[0];

        // Step 5.
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return ProofVerification.WrongProofSize(expectedSize, proof.Count);
            }

            // Invariant: with the length checked above, sn reaches 0 exactly at the end; the RFC's checks stay as a guard.
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.OfChildren(c, fr);
                sr = MerkleHash.OfChildren(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.OfChildren(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 6.
        if (fr != root1)
        {
            return ProofVerification.RootMismatch(size1, root1, fr);
        }

        if (sr != root2)
        {
            return ProofVerification.RootMismatch(size2, root2, sr);
        }

        return sn == 0 ? ProofVerification.Valid : ProofVerification.WrongProofSize(expectedSize, proof.Count);
    }
}
