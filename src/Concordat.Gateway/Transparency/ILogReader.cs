using Concordat.Tiles;

namespace Concordat.Gateway.Transparency;

/// <summary>
/// Reads the transparency log for the log API: the latest signed checkpoint, entries and proofs.
/// </summary>
internal interface ILogReader
{
    /// <summary>Returns the latest checkpoint as a C2SP signed note, signing a new one when the tree has grown.</summary>
    Task<LogCheckpoint> ReadCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Returns whether a checkpoint of exactly <paramref name="treeSize"/> was signed and kept in the history.</summary>
    Task<bool> IsCheckpointAsync(long treeSize, CancellationToken cancellationToken);

    /// <summary>Returns the number of entries the store holds now, whichever replica appended them; signs nothing.</summary>
    Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="count"/> entries from <paramref name="start"/>, below the checkpoint's tree size.</summary>
    Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken);

    /// <summary>Returns the RFC 6962 inclusion proof of <paramref name="index"/> in the tree of <paramref name="treeSize"/>.</summary>
    Task<IReadOnlyList<byte[]>> ProveInclusionAsync(long index, long treeSize, CancellationToken cancellationToken);

    /// <summary>Reads a C2SP tile within the tree of the latest signed checkpoint, or null when that tree does not hold it.</summary>
    /// <exception cref="InvalidDataException">A hash or entry the tile needs is missing, malformed or too large for a bundle.</exception>
    Task<byte[]?> ReadTileAsync(TileAddress tile, CancellationToken cancellationToken);

    /// <summary>Returns the RFC 6962 consistency proof between two tree sizes.</summary>
    Task<IReadOnlyList<byte[]>> ProveConsistencyAsync(long first, long second, CancellationToken cancellationToken);
}
