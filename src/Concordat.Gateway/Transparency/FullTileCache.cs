using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Concordat.Tiles;

namespace Concordat.Gateway.Transparency;

/// <summary>
/// The full tiles and entry bundles the tiles API has served, by request path, so that <see cref="FullTileShortcut"/>
/// answers them again before routing: a full tile never changes, so the bytes served once are right forever.
/// </summary>
/// <remarks>
/// Bounded by bytes, not by count (an entry bundle can be far larger than a hash tile's 8 KiB); once full it stops
/// growing instead of evicting, which keeps it lock-free. Those tiles past the bound are still served, through the
/// endpoint and the store.
/// </remarks>
internal sealed class FullTileCache
{
    /// <summary>The most bytes of tiles kept: 8,192 hash tiles, the level-0 tiles of a tree of 2 M entries.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, byte[]> _tiles = new(StringComparer.Ordinal);
    private long _bytes;

    /// <summary>Gets the bytes the cache holds.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Finds the full tile at a request path, such as <c>/tlog/tile/0/000</c>: the exact path the spec writes, case included.</summary>
    public bool TryGet(string path, [NotNullWhen(true)] out byte[]? bytes) => _tiles.TryGetValue(path, out bytes);

    /// <summary>Keeps the bytes of a full tile just read from the tree of a signed checkpoint; a partial tile is not kept.</summary>
    public void Add(TileAddress tile, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);

        // Invariant: only a full tile is immutable; a partial one grows into the full tile, so it is never kept.
        if (tile.IsPartial)
        {
            return;
        }

        if (Interlocked.Add(ref _bytes, bytes.Length) > MaxBytes || !_tiles.TryAdd(TilesApi.Prefix + "/" + tile.ToPath(), bytes))
        {
            Interlocked.Add(ref _bytes, -bytes.Length);
        }
    }
}
