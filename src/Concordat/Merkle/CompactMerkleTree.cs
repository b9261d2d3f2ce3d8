namespace Concordat.Merkle;

/// <summary>
/// The right edge (the "frontier") of an RFC 6962 Merkle tree: one perfect subtree hash per set bit of the tree size.
/// Appending a leaf hash updates it in O(log n) and reports the interior nodes that became complete, so that a log
/// can store them and later build proofs with O(log n) reads.
/// </summary>
/// <remarks>
/// Not thread-safe: one writer owns an instance. Memory is O(log n) whatever the tree size.
/// </remarks>
public sealed class CompactMerkleTree
{
    /// <summary>The largest tree size supported, 2^62 leaves.</summary>
    public const long MaxSize = 1L << 62;

    // Invariant: _frontier[i] is the hash of FrontierIds(Size)[i]: highest level first, left to right.
    private readonly List<MerkleHash> _frontier;

    /// <summary>Initializes an empty tree.</summary>
    public CompactMerkleTree()
    {
        _frontier = [];
    }

    private CompactMerkleTree(long size, List<MerkleHash> frontier)
    {
        Size = size;
        _frontier = frontier;
    }

    /// <summary>Gets the number of leaves appended so far.</summary>
    public long Size { get; private set; }

    /// <summary>Gets the frontier hashes, in the order of <see cref="GetFrontierIds"/>.</summary>
    public IReadOnlyList<MerkleHash> Frontier => _frontier;

    /// <summary>Lists the perfect subtrees whose hashes make up the frontier of a tree of <paramref name="size"/> leaves.</summary>
    /// <param name="size">The tree size.</param>
    /// <returns>The node ids, highest level (leftmost) first; one per set bit of the size.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is negative or above <see cref="MaxSize"/>.</exception>
    public static IReadOnlyList<MerkleNodeId> GetFrontierIds(long size)
    {
        CheckSize(size);
        var ids = new List<MerkleNodeId>();
        MerkleTreeMath.AddRangeNodes(0, size, ids);
        return ids;
    }

    /// <summary>Restores a tree from its size and the stored hashes of its frontier, for example after a restart.</summary>
    /// <param name="size">The tree size.</param>
    /// <param name="frontier">The hashes of <see cref="GetFrontierIds"/>(<paramref name="size"/>), in that order.</param>
    /// <returns>The restored tree.</returns>
    /// <exception cref="ArgumentException">The number of hashes does not match the size.</exception>
    public static CompactMerkleTree FromFrontier(long size, IReadOnlyList<MerkleHash> frontier)
    {
        ArgumentNullException.ThrowIfNull(frontier);
        CheckSize(size);
        if (frontier.Count != long.PopCount(size))
        {
            throw new ArgumentException($"a tree of size {size} has {long.PopCount(size)} frontier hashes, not {frontier.Count}", nameof(frontier));
        }

        foreach (var hash in frontier)
        {
            _ = hash.Bytes;
        }

        return new CompactMerkleTree(size, [.. frontier]);
    }

    /// <summary>Appends one leaf hash and reports every node that became complete.</summary>
    /// <param name="leafHash">The RFC 6962 leaf hash (see <see cref="MerkleHash.OfLeaf"/>).</param>
    /// <param name="completed">When given, receives the new leaf (level 0) and each interior node completed by it, lowest level first.</param>
    /// <exception cref="InvalidOperationException">The tree already holds <see cref="MaxSize"/> leaves.</exception>
    public void Append(MerkleHash leafHash, ICollection<MerkleNode>? completed = null)
    {
        _ = leafHash.Bytes;
        if (Size >= MaxSize)
        {
            throw new InvalidOperationException("the tree is full");
        }

        var id = new MerkleNodeId(0, Size);
        var hash = leafHash;
        completed?.Add(new MerkleNode(id, hash));

        // Invariant: a set bit at `level` of the old size means a complete left sibling waits on the frontier.
        while (((Size >> id.Level) & 1) == 1)
        {
            var left = _frontier[^1];
            _frontier.RemoveAt(_frontier.Count - 1);
            hash = MerkleHash.OfChildren(left, hash);
            id = new MerkleNodeId(id.Level + 1, id.Index >> 1);
            completed?.Add(new MerkleNode(id, hash));
        }

        _frontier.Add(hash);
        Size++;
    }

    /// <summary>Computes the RFC 6962 root hash of the tree.</summary>
    /// <returns>The root hash; <see cref="MerkleHash.Empty"/> for the empty tree.</returns>
    public MerkleHash ComputeRoot() => MerkleTreeMath.Fold(_frontier, 0, _frontier.Count);

    private static void CheckSize(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
    }
}
