namespace Concordat.Merkle;

/// <summary>
/// The address of a perfect subtree: the node at <paramref name="Level"/> (0 for leaves) and horizontal
/// <paramref name="Index"/>, covering leaves [<c>Index &lt;&lt; Level</c>, <c>(Index + 1) &lt;&lt; Level</c>).
/// </summary>
/// <param name="Level">The height above the leaves, 0 to 62.</param>
/// <param name="Index">The position among the nodes of its level, from 0.</param>
// CAUTION: persisted/public format (stored node addresses); see docs/formats/checkpoint.md
public readonly record struct MerkleNodeId(int Level, long Index)
{
    /// <summary>Gets the index of the first leaf the node covers.</summary>
    public long Begin => Index << Level;

    /// <summary>Gets the index one past the last leaf the node covers.</summary>
    public long End => (Index + 1) << Level;

    /// <summary>
    /// Gets the node's position in the order a log appends hashes: each leaf, then every node it completes,
    /// lowest level first (0 for leaf 0, 1 for leaf 1, 2 for node 1/0, 3 for leaf 2, ...).
    /// </summary>
    /// <remarks>
    /// Before leaf <c>m</c> is appended, <c>2m - popcount(m)</c> hashes are stored (each leaf <c>j</c> adds one hash
    /// for itself and one per trailing zero of <c>j + 1</c>); the node whose last leaf is <c>m</c> comes
    /// <see cref="Level"/> places after that leaf. A store keyed by this index writes each commit's hashes as one
    /// contiguous run at the end of its table.
    /// </remarks>
    public long StoredIndex
    {
        get
        {
            var lastLeaf = End - 1;
            return (2 * lastLeaf) - long.PopCount(lastLeaf) + Level;
        }
    }

    /// <summary>Renders the node as <c>level/index</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Level}/{Index}";
}
