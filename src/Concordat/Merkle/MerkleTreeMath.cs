namespace Concordat.Merkle;

/// <summary>
/// Where the nodes of RFC 6962 proofs lie in the tree: pure index arithmetic shared by generation and verification.
/// </summary>
internal static class MerkleTreeMath
{
    /// <summary>
    /// Adds the perfect subtrees that make up [<paramref name="begin"/>, <paramref name="end"/>), largest first, where
    /// <paramref name="begin"/> is a multiple of a power of two larger than the range (true for every range used here).
    /// </summary>
    // Spec: RFC 6962 §2.1 — MTH(D[n]) splits at the largest power of two below n, so a range's tree is its perfect
    // subtrees, one per set bit of its length, largest on the left, hashed together from the right.
    public static void AddRangeNodes(long begin, long end, List<MerkleNodeId> ids)
    {
        var position = begin;
        for (var level = 62; level >= 0; level--)
        {
            var width = 1L << level;
            if (((end - begin) & width) != 0)
            {
                ids.Add(new MerkleNodeId(level, position >> level));
                position += width;
            }
        }
    }

    /// <summary>
    /// Walks from node (<paramref name="level"/>, <paramref name="index"/>) up to the root of a tree of
    /// <paramref name="size"/> leaves and adds the range of each sibling subtree that exists, bottom-up.
    /// These ranges are the elements of an RFC 6962 audit path.
    /// </summary>
    /// <returns>The number of elements.</returns>
    // Spec: RFC 6962 §2.1.1 — PATH(m, D[n]) takes the sibling at every split on the way to the root; a split whose
    // right side is empty (beyond the tree size) does not exist, so it adds nothing.
    public static int WalkPath(int level, long index, long size, List<(long Begin, long End)>? ranges)
    {
        var count = 0;
        while ((1L << level) < size)
        {
            var begin = (index ^ 1) << level;
            if (begin < size)
            {
                // Invariant: the right-border sibling may be partial; it is then the tree of [begin, size).
                var end = size - begin > (1L << level) ? begin + (1L << level) : size;
                ranges?.Add((begin, end));
                count++;
            }

            index >>= 1;
            level++;
        }

        return count;
    }

    /// <summary>Gets the node whose path makes up a consistency proof from <paramref name="size1"/> &gt; 0: the last
    /// perfect subtree of the old tree.</summary>
    // Spec: RFC 6962 §2.1.2 — SUBPROOF descends to the largest complete subtree ending at size1; when size1 is a
    // power of two that subtree is the whole old tree, whose root the verifier already holds, so it is omitted.
    public static MerkleNodeId ConsistencyStart(long size1)
    {
        var level = (int)long.TrailingZeroCount(size1);
        return new MerkleNodeId(level, (size1 >> level) - 1);
    }

    /// <summary>Counts the elements of the audit path of leaf <paramref name="index"/> in a tree of <paramref name="size"/>.</summary>
    public static int InclusionPathLength(long index, long size) => WalkPath(0, index, size, null);

    /// <summary>Counts the elements of the consistency proof between sizes 0 &lt; <paramref name="size1"/> &lt; <paramref name="size2"/>.</summary>
    public static int ConsistencyProofLength(long size1, long size2)
    {
        var start = ConsistencyStart(size1);
        return (start.Index == 0 ? 0 : 1) + WalkPath(start.Level, start.Index, size2, null);
    }

    /// <summary>Hashes hashes[start..start+count) together from the right, as RFC 6962 does for a range's subtrees.</summary>
    public static MerkleHash Fold(IReadOnlyList<MerkleHash> hashes, int start, int count)
    {
        if (count == 0)
        {
            return MerkleHash.Empty;
        }

        var hash = hashes[start + count - 1];
        for (var i = start + count - 2; i >= start; i--)
        {
            hash = MerkleHash.OfChildren(hashes[i], hash);
        }

        return hash;
    }
}
