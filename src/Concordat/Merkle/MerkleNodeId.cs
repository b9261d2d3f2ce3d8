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

    /// <summary>Renders the node as <c>level/index</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Level}/{Index}";
}
