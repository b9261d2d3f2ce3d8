namespace Concordat.Merkle;

/// <summary>
/// Reads the stored hashes of perfect subtrees of a log's Merkle tree, so that roots and proofs cost O(log n) reads.
/// </summary>
/// <remarks>
/// A log implements this over the nodes that <see cref="CompactMerkleTree.Append"/> reports as complete.
/// Implementations MUST return, for each requested id, the hash of the perfect subtree at that address
/// (level 0: the leaf hash), and MUST throw (never return a made-up hash) when a node is not stored.
/// Callers only ask for nodes that lie entirely inside the tree size they work on.
/// </remarks>
public interface IMerkleHashSource
{
    /// <summary>Reads the hashes of <paramref name="ids"/>, in order, into <paramref name="destination"/>.</summary>
    /// <param name="ids">The perfect subtrees to read; at most about 2 x 63 of them per call.</param>
    /// <param name="destination">One slot per id; slot i receives the hash of <c>ids[i]</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when every slot is filled.</returns>
    ValueTask ReadNodeHashesAsync(IReadOnlyList<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken);
}
