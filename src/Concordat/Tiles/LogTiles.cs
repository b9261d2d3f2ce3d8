using Concordat.Log;
using Concordat.Merkle;

namespace Concordat.Tiles;

/// <summary>
/// Reads the tiles of a stored log: hash tiles from the stored subtree hashes, entry bundles from the stored entries.
/// </summary>
/// <remarks>
/// Every hash a tile holds is the hash of a perfect subtree, which the storage keeps (see <see cref="ILogStorage"/>),
/// so a tile costs one read and no hashing. A tile is read as stored, never repaired: a partner's verifier finds any
/// damage (<see cref="TileVerifier"/>).
/// </remarks>
public static class LogTiles
{
    /// <summary>Reads one tile of the tree of <paramref name="treeSize"/> entries.</summary>
    /// <param name="storage">The log's storage.</param>
    /// <param name="tile">The tile; a partial tile of a width the tree has outgrown is read too.</param>
    /// <param name="treeSize">The tree size the tile must lie within: a signed checkpoint's, so that only signed data is served.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tile's bytes, or <see langword="null"/> when the tree does not hold the tile.</returns>
    /// <exception cref="InvalidDataException">
    /// A hash or entry the tile needs is missing or malformed, or an entry (logged before the 65,535-byte cap) is too
    /// large for a bundle: the log needs verifying.
    /// </exception>
    public static async Task<byte[]?> ReadAsync(ILogStorage storage, TileAddress tile, long treeSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        if (!TileLayout.Holds(tile, treeSize))
        {
            return null;
        }

        return tile.IsEntryBundle
            ? await ReadBundleAsync(storage, tile, cancellationToken).ConfigureAwait(false)
            : await ReadHashesAsync(storage, tile, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBundleAsync(ILogStorage storage, TileAddress tile, CancellationToken cancellationToken)
    {
        var stored = await storage.ReadEntriesAsync(tile.StartEntry, tile.Width, cancellationToken).ConfigureAwait(false);
        var entries = new ReadOnlyMemory<byte>[tile.Width];
        for (var i = 0; i < entries.Length; i++)
        {
            // Security: a gap is never closed up: the bundle would pair entries with the wrong leaf hashes.
            if (i >= stored.Count || stored[i].Index != tile.StartEntry + i)
            {
                throw new InvalidDataException($"entry {tile.StartEntry + i} is missing from storage: run `concordat log verify`");
            }

            if (stored[i].Entry.Length > EntryBundle.MaxEntrySize)
            {
                throw new InvalidDataException($"entry {tile.StartEntry + i} is {stored[i].Entry.Length} bytes, more than an entry bundle can carry");
            }

            entries[i] = stored[i].Entry;
        }

        return EntryBundle.Encode(entries);
    }

    private static async Task<byte[]> ReadHashesAsync(ILogStorage storage, TileAddress tile, CancellationToken cancellationToken)
    {
        var ids = new MerkleNodeId[tile.Width];
        var first = tile.Index * TileAddress.FullWidth;
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = new MerkleNodeId(TileAddress.Height * tile.Level, first + i);
        }

        var hashes = await storage.ReadHashesAsync(ids, cancellationToken).ConfigureAwait(false);
        var bytes = new byte[ids.Length * Rfc6962.HashSize];
        for (var i = 0; i < ids.Length; i++)
        {
            if (hashes[i] is not { Length: Rfc6962.HashSize } hash)
            {
                throw new InvalidDataException($"the stored hash of node `{ids[i]}` is missing or malformed: run `concordat log verify`");
            }

            hash.CopyTo(bytes, i * Rfc6962.HashSize);
        }

        return bytes;
    }
}
