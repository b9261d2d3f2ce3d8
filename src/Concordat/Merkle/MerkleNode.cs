namespace Concordat.Merkle;

/// <summary>
/// The hash of one perfect subtree, as a log stores it.
/// </summary>
/// <param name="Id">Where the subtree is.</param>
/// <param name="Hash">Its RFC 6962 hash; at level 0, the leaf hash.</param>
public readonly record struct MerkleNode(MerkleNodeId Id, MerkleHash Hash);
