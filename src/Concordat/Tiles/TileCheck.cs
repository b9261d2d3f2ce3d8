using Concordat.Merkle;

namespace Concordat.Tiles;

/// <summary>
/// What <see cref="TileVerifier.VerifyAsync"/> checks of a tiled log, beyond the right edge of the signed tree.
/// </summary>
/// <param name="TreeSize">The tree size of a checkpoint whose signature the caller has verified.</param>
/// <param name="RootHash">That checkpoint's root hash.</param>
public sealed record TileCheck(long TreeSize, MerkleHash RootHash)
{
    /// <summary>Gets the tree size of an older checkpoint the caller trusts (saved from an earlier run), or 0 for none.</summary>
    /// <value>0: no consistency check.</value>
    public long OlderTreeSize { get; init; }

    /// <summary>Gets the older checkpoint's root hash; used when <see cref="OlderTreeSize"/> is above 0.</summary>
    public MerkleHash OlderRootHash { get; init; }

    /// <summary>Gets a value indicating whether to read every tile and entry bundle and check every entry.</summary>
    /// <value><see langword="false"/>: only the tiles the other checks need.</value>
    public bool IsFull { get; init; }

    /// <summary>Gets the first entry to read and hand to <see cref="OnEntry"/>, with every bundle from it on; -1 for none.</summary>
    /// <value>-1, or 0 and up when <see cref="IsFull"/> is set.</value>
    public long ReadEntriesFrom { get; init; } = -1;

    /// <summary>Gets what is done with each verified entry read, in index order.</summary>
    /// <value><see langword="null"/>: entries are checked and dropped.</value>
    public Func<long, byte[], ValueTask>? OnEntry { get; init; }

    /// <summary>Gets leaves whose inclusion in the signed tree to check: an index and the leaf hash expected there.</summary>
    /// <value>None.</value>
    public IReadOnlyList<(long Index, MerkleHash LeafHash)> Inclusions { get; init; } = [];
}
