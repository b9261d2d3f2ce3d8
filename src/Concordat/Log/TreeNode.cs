namespace Concordat.Log;

/// <summary>
/// A stored hash of a perfect subtree: a leaf hash at level 0, an interior node hash above.
/// </summary>
/// <param name="Id">Which subtree.</param>
/// <param name="Hash">Its 32-byte RFC 6962 hash.</param>
public readonly record struct TreeNode(TreeNodeId Id, ReadOnlyMemory<byte> Hash);
