using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// The right edge of a Merkle tree: the hashes of the perfect subtrees that together cover leaves
/// <c>[0, Size)</c>, largest first (one per set bit of the size). Enough to append leaves and to compute the root.
/// </summary>
/// <remarks>
/// Invariant: <c>_hashes[i]</c> is the hash of <c>NodesOf(Size)[i]</c>.
/// </remarks>
internal sealed class TreeFrontier
{
    private readonly List<byte[]> _hashes;

    private TreeFrontier(long size, List<byte[]> hashes)
    {
        Size = size;
        _hashes = hashes;
    }

    /// <summary>Gets the number of leaves integrated.</summary>
    public long Size { get; private set; }

    /// <summary>Gets an empty frontier.</summary>
    public static TreeFrontier Empty => new(0, []);

    /// <summary>Lists the perfect subtrees that cover <c>[0, size)</c>, largest first.</summary>
    public static IReadOnlyList<TreeNodeId> NodesOf(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var nodes = new List<TreeNodeId>(64);
        long start = 0;
        for (var level = 62; level >= 0; level--)
        {
            if (((size >> level) & 1) != 0)
            {
                nodes.Add(new TreeNodeId(level, start >> level));
                start += 1L << level;
            }
        }

        return nodes;
    }

    /// <summary>Rebuilds a frontier from the stored hashes of <see cref="NodesOf"/>.</summary>
    /// <exception cref="InvalidOperationException">The number of hashes does not match the size.</exception>
    public static TreeFrontier FromHashes(long size, IReadOnlyList<byte[]> hashes)
    {
        if (hashes.Count != NodesOf(size).Count || hashes.Any(h => h.Length != Rfc6962.HashSize))
        {
            throw new InvalidOperationException($"a tree of size {size} needs {NodesOf(size).Count} frontier hashes of 32 bytes");
        }

        return new TreeFrontier(size, [.. hashes]);
    }

    /// <summary>Copies the frontier, so that a batch can be integrated and thrown away if it does not commit.</summary>
    public TreeFrontier Clone() => new(Size, [.. _hashes]);

    /// <summary>Appends one leaf hash, reporting the leaf node and every interior node it completes.</summary>
    public void Append(byte[] leafHash, List<TreeNode> completed)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        var index = Size;
        completed.Add(new TreeNode(new TreeNodeId(0, index), leafHash));
        var hash = leafHash;
        var level = 0;

        // Invariant: bit `level` of the old size is set exactly when the last frontier hash is a perfect subtree
        // of that level, immediately to the left of the one being built, so the two merge.
        while (((index >> level) & 1) != 0)
        {
            var left = _hashes[^1];
            _hashes.RemoveAt(_hashes.Count - 1);
            hash = Rfc6962.HashChildren(left, hash);
            level++;
            completed.Add(new TreeNode(new TreeNodeId(level, index >> level), hash));
        }

        _hashes.Add(hash);
        Size++;
    }

    /// <summary>Computes the root hash of the tree of <see cref="Size"/> leaves.</summary>
    public byte[] ComputeRoot() => ComputeRoot(_hashes);

    /// <summary>Folds frontier hashes (largest subtree first) into the root hash.</summary>
    // Spec: RFC 6962 §2.1 — MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest power of two
    // below n, so the root folds the frontier from the right.
    public static byte[] ComputeRoot(IReadOnlyList<byte[]> frontierHashes)
    {
        ArgumentNullException.ThrowIfNull(frontierHashes);
        if (frontierHashes.Count == 0)
        {
            return Rfc6962.EmptyRoot.ToArray();
        }

        var root = frontierHashes[^1];
        for (var i = frontierHashes.Count - 2; i >= 0; i--)
        {
            root = Rfc6962.HashChildren(frontierHashes[i], root);
        }

        return root;
    }
}
