namespace Concordat.Tiles;

/// <summary>
/// Where a verifier reads a tiled log from: a gateway over HTTP, or a folder of exported tiles.
/// </summary>
/// <remarks>
/// A source is not trusted: <see cref="TileVerifier"/> checks every byte it returns against a signed checkpoint.
/// Implementations MUST return the bytes as served, and MUST NOT substitute the full tile for a missing partial one
/// (the verifier asks for the tile the checkpoint's size implies).
/// </remarks>
public interface ITileSource
{
    /// <summary>Reads the log's current checkpoint, a signed note.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint's bytes as served.</returns>
    /// <exception cref="IOException">The checkpoint cannot be read.</exception>
    Task<byte[]> ReadCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Reads one tile.</summary>
    /// <param name="tile">The tile.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The tile's bytes as served, or <see langword="null"/> when the source does not have it (HTTP 404).</returns>
    /// <exception cref="IOException">The source cannot be read.</exception>
    Task<byte[]?> ReadTileAsync(TileAddress tile, CancellationToken cancellationToken);
}
