using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Concordat.Tiles;

/// <summary>
/// One resource of a C2SP tiled log: a hash tile <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> or an entry bundle
/// <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>, and its path below the log's prefix.
/// </summary>
/// <remarks>
/// Spec: <see href="https://c2sp.org/tlog-tiles"/> — <c>N</c> is written in zero-padded 3-digit path elements, all but
/// the last starting with <c>x</c> (1234067 is <c>x001/x234/067</c>); a width below 256 makes a partial tile
/// (<c>.p/&lt;W&gt;</c>). Hash <paramref name="Index"/> <c>i</c> of hash tile (L, N) is the Merkle tree hash of the
/// 256^L entries from <c>(N·256 + i)·256^L</c>; entry bundle N holds entries <c>N·256</c> to <c>N·256 + W</c>.
/// </remarks>
/// <param name="Level">The tile level, 0 to 63 (level 0 holds leaf hashes), or <see cref="EntriesLevel"/> for an entry bundle.</param>
/// <param name="Index">The tile's index N within its level, from 0.</param>
/// <param name="Width">How many hashes or entries the tile holds: 256 for a full tile, 1 to 255 for a partial one.</param>
// CAUTION: persisted/public format (paths served and exported); see docs/formats/tiles.md
public readonly record struct TileAddress(int Level, long Index, int Width)
{
    /// <summary>The number of hashes or entries in a full tile.</summary>
    public const int FullWidth = 256;

    /// <summary>The number of Merkle tree levels one tile spans: log2 of <see cref="FullWidth"/>.</summary>
    public const int Height = 8;

    /// <summary>The greatest hash tile level the spec allows.</summary>
    public const int MaxLevel = 63;

    /// <summary>The <see cref="Level"/> of an entry bundle.</summary>
    public const int EntriesLevel = -1;

    private const string Prefix = "tile/";
    private const string EntriesName = "entries";
    private const string PartialMark = ".p/";

    /// <summary>Gets a value indicating whether this is an entry bundle rather than a hash tile.</summary>
    public bool IsEntryBundle => Level == EntriesLevel;

    /// <summary>Gets a value indicating whether the tile is partial: fewer than 256 hashes or entries.</summary>
    public bool IsPartial => Width < FullWidth;

    /// <summary>Gets the index of the first entry the tile covers: <c>N·256^(L+1)</c> (level 0 for an entry bundle).</summary>
    /// <value><see cref="long.MaxValue"/> when that is beyond any tree (a tile above level 6 with an index above 0).</value>
    public long StartEntry
    {
        get
        {
            // Invariant: a shift of 64 or more would wrap in C#, so levels past the largest tree are clamped here.
            var shift = Height * (DataLevel + 1);
            return shift >= 63 || Index > (long.MaxValue >> shift) ? (Index == 0 ? 0 : long.MaxValue) : Index << shift;
        }
    }

    /// <summary>Gets the level whose hashes the tile's data are: 0 for an entry bundle, whose entries hash to level 0.</summary>
    internal int DataLevel => IsEntryBundle ? 0 : Level;

    /// <summary>Makes the address of a hash tile.</summary>
    /// <param name="level">The level, 0 to 63.</param>
    /// <param name="index">The tile index.</param>
    /// <param name="width">The width, 1 to 256.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static TileAddress HashTile(int level, long index, int width = FullWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, MaxLevel);
        return Checked(level, index, width);
    }

    /// <summary>Makes the address of an entry bundle.</summary>
    /// <param name="index">The bundle index: entries from <c>index·256</c>.</param>
    /// <param name="width">The width, 1 to 256.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static TileAddress EntryBundle(long index, int width = FullWidth) => Checked(EntriesLevel, index, width);

    /// <summary>Writes a tile index as the spec's path elements: 1234067 is <c>x001/x234/067</c>.</summary>
    /// <param name="index">A non-negative index.</param>
    /// <returns>The path elements.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative.</exception>
    public static string FormatIndex(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var text = (index % 1000).ToString("000", CultureInfo.InvariantCulture);
        for (var rest = index / 1000; rest > 0; rest /= 1000)
        {
            text = string.Create(CultureInfo.InvariantCulture, $"x{rest % 1000:000}/{text}");
        }

        return text;
    }

    /// <summary>Reads a path below a log's prefix, such as <c>tile/0/x001/x234/067.p/8</c> or <c>tile/entries/000</c>.</summary>
    /// <param name="path">The candidate path, without a leading slash.</param>
    /// <param name="address">The address, when the path is one.</param>
    /// <returns>
    /// <see langword="true"/> only for the one path the spec writes for an address: no leading zeros in L or W, no
    /// <c>x000</c> before the first significant element, no width 256 written as partial.
    /// </returns>
    public static bool TryParsePath([NotNullWhen(true)] string? path, out TileAddress address)
    {
        address = default;
        if (path is null || !path.StartsWith(Prefix, StringComparison.Ordinal) || path.Length > 128)
        {
            return false;
        }

        var rest = path.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        int level;
        if (rest[..slash].SequenceEqual(EntriesName))
        {
            level = EntriesLevel;
        }
        else if (!TryParseSmall(rest[..slash], MaxLevel, out level))
        {
            return false;
        }

        rest = rest[(slash + 1)..];
        var width = FullWidth;
        var partial = rest.IndexOf(PartialMark, StringComparison.Ordinal);
        if (partial >= 0)
        {
            if (!TryParseSmall(rest[(partial + PartialMark.Length)..], FullWidth - 1, out width) || width == 0)
            {
                return false;
            }

            rest = rest[..partial];
        }

        long index = 0;
        foreach (var range in rest.Split('/'))
        {
            var element = rest[range];
            if (element.Length is not (3 or 4) || (element.Length == 4) != (range.End.Value != rest.Length) ||
                (element.Length == 4 && element[0] != 'x') || element[^3..].ContainsAnyExceptInRange('0', '9') || index > long.MaxValue / 1000 / 1000)
            {
                return false;
            }

            index = (index * 1000) + int.Parse(element[^3..], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        address = new TileAddress(level, index, width);

        // Spec: one path per tile; the round trip refuses x000 prefixes that would name the same tile twice.
        return address.ToPath().AsSpan().SequenceEqual(path);
    }

    /// <summary>Writes the tile's path below the log's prefix, such as <c>tile/1/x001/234.p/17</c>.</summary>
    /// <returns>The path, without a leading slash.</returns>
    public string ToPath()
    {
        var builder = new StringBuilder(Prefix, 48);
        builder.Append(IsEntryBundle ? EntriesName : Level.ToString(CultureInfo.InvariantCulture)).Append('/').Append(FormatIndex(Index));
        if (IsPartial)
        {
            builder.Append(PartialMark).Append(Width.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>Renders the tile as its path.</summary>
    /// <returns>The path.</returns>
    public override string ToString() => ToPath();

    private static TileAddress Checked(int level, long index, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, FullWidth);
        return new TileAddress(level, index, width);
    }

    private static bool TryParseSmall(ReadOnlySpan<char> text, int max, out int value)
    {
        value = 0;
        if (text.Length is 0 or > 3 || (text.Length > 1 && text[0] == '0') || text.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value <= max;
    }
}
