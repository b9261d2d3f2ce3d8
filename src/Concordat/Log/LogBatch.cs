using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// What one group commit writes: consecutive entries starting at <see cref="StartIndex"/> and every perfect
/// subtree hash that those entries complete.
/// </summary>
/// <param name="StartIndex">The index of the first entry; it MUST equal the stored tree size.</param>
/// <param name="Entries">The canonical entry bytes, in index order.</param>
/// <param name="Nodes">The leaf hashes and the interior hashes that the entries complete.</param>
public sealed record LogBatch(long StartIndex, IReadOnlyList<ReadOnlyMemory<byte>> Entries, IReadOnlyList<MerkleNode> Nodes)
{
    /// <summary>Gets the tree size after the batch is written.</summary>
    public long EndSize => StartIndex + Entries.Count;
}
