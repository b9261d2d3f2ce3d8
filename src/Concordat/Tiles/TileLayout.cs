namespace Concordat.Tiles;

/// <summary>
/// Which tiles a tree of a given size has: how many full tiles each level holds, and the width of its partial tile.
/// </summary>
/// <remarks>
/// Spec: <see href="https://c2sp.org/tlog-tiles"/> — the partial tile at level L of a tree of size s has
/// <c>floor(s / 256^L) mod 256</c> hashes, and an empty tile is never served. A tree of size 70,000 has 273 full level-0
/// tiles and one of width 112, one full level-1 tile and one of width 17, and one level-2 tile of width 1.
/// </remarks>
public static class TileLayout
{
    /// <summary>The highest level that can hold a hash of a tree of at most 2^62 entries.</summary>
    public const int TopLevel = 7;

    /// <summary>Counts the full tiles at <paramref name="level"/> in a tree of <paramref name="treeSize"/> entries.</summary>
    /// <param name="level">A hash tile level, or <see cref="TileAddress.EntriesLevel"/> for entry bundles.</param>
    /// <param name="treeSize">The tree size.</param>
    /// <returns>The number of full tiles.</returns>
    public static long FullTiles(int level, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        var dataLevel = Math.Max(level, 0);
        return dataLevel >= TopLevel ? 0 : treeSize >> (TileAddress.Height * (dataLevel + 1));
    }

    /// <summary>Gets the width of the partial tile at <paramref name="level"/>: 0 when the level has none.</summary>
    /// <param name="level">A hash tile level, or <see cref="TileAddress.EntriesLevel"/> for entry bundles.</param>
    /// <param name="treeSize">The tree size.</param>
    /// <returns>The width, 0 to 255.</returns>
    public static int PartialWidth(int level, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        var dataLevel = Math.Max(level, 0);
        return dataLevel > TopLevel ? 0 : (int)((treeSize >> (TileAddress.Height * dataLevel)) & (TileAddress.FullWidth - 1));
    }

    /// <summary>Gets tile N of a level as a tree of <paramref name="treeSize"/> entries has it: full, partial, or none.</summary>
    /// <param name="level">A hash tile level, or <see cref="TileAddress.EntriesLevel"/> for entry bundles.</param>
    /// <param name="index">The tile index.</param>
    /// <param name="treeSize">The tree size.</param>
    /// <returns>The tile, or <see langword="null"/> when the tree has no hash or entry of it yet.</returns>
    public static TileAddress? TileOf(int level, long index, long treeSize)
    {
        var full = FullTiles(level, treeSize);
        if (index < full)
        {
            return new TileAddress(level, index, TileAddress.FullWidth);
        }

        var width = PartialWidth(level, treeSize);
        return index == full && width > 0 ? new TileAddress(level, index, width) : null;
    }

    /// <summary>
    /// Tells whether a tree of <paramref name="treeSize"/> entries holds every hash or entry of <paramref name="tile"/>,
    /// so that it can be served: a partial tile of a width the tree has outgrown still can.
    /// </summary>
    /// <param name="tile">The tile.</param>
    /// <param name="treeSize">The tree size.</param>
    /// <returns><see langword="true"/> when the tile lies within the tree.</returns>
    public static bool Holds(TileAddress tile, long treeSize)
    {
        if (tile.DataLevel > TopLevel)
        {
            return false;
        }

        // Invariant: at levels up to 7 the tile's data are within 2^64 of an index below 2^56, so no step overflows.
        var first = (tile.Index << TileAddress.Height) + tile.Width;
        return tile.Index < (1L << 55) && first <= (treeSize >> (TileAddress.Height * tile.DataLevel));
    }

    /// <summary>Lists every tile of a tree: for each level from 0 up, the entry bundles or hash tiles, full then partial.</summary>
    /// <param name="treeSize">The tree size.</param>
    /// <param name="entryBundles">Whether to list entry bundles (first) as well as hash tiles.</param>
    /// <returns>The tiles, lowest level first.</returns>
    public static IEnumerable<TileAddress> EnumerateTiles(long treeSize, bool entryBundles = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        for (var level = entryBundles ? TileAddress.EntriesLevel : 0; level <= TopLevel; level++)
        {
            var full = FullTiles(level, treeSize);
            for (long index = 0; index < full; index++)
            {
                yield return new TileAddress(level, index, TileAddress.FullWidth);
            }

            var width = PartialWidth(level, treeSize);
            if (width > 0)
            {
                yield return new TileAddress(level, full, width);
            }
        }
    }
}
