namespace Concordat.Log;

/// <summary>
/// The position of a perfect subtree in an RFC 6962 Merkle tree: the node at <paramref name="Level"/> with
/// <paramref name="Index"/> covers the leaves <c>[Index * 2^Level, (Index + 1) * 2^Level)</c>.
/// </summary>
/// <param name="Level">The height of the subtree; 0 is a leaf hash.</param>
/// <param name="Index">The position of the subtree among those of its level, from the left.</param>
// CAUTION: persisted format (the level and index columns of stored tree hashes); see docs/formats/log-entry.md
public readonly record struct TreeNodeId(int Level, long Index)
{
    /// <summary>Gets the first leaf index this node covers.</summary>
    public long FirstLeaf => Index << Level;

    /// <summary>Gets the last leaf index this node covers.</summary>
    public long LastLeaf => ((Index + 1) << Level) - 1;

    /// <summary>Renders the node as <c>level/index</c>.</summary>
    /// <returns>The rendered node id.</returns>
    public override string ToString() => $"{Level}/{Index}";
}
