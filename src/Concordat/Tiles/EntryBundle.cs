using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Concordat.Tiles;

/// <summary>
/// The C2SP entry bundle: consecutive log entries, each preceded by its length as a big-endian 16-bit number.
/// </summary>
/// <remarks>
/// Spec: <see href="https://c2sp.org/tlog-tiles"/> — "Entry bundles are sequences of big-endian uint16 length-prefixed
/// log entries"; each hashes (RFC 6962 §2.1) to the matching hash of the level-0 tile. So no entry may exceed
/// <see cref="MaxEntrySize"/> bytes, and <see cref="Log.LogEntry.MaxSize"/> is that.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/tiles.md
public static class EntryBundle
{
    /// <summary>The greatest entry a bundle can carry: the largest 16-bit length.</summary>
    public const int MaxEntrySize = ushort.MaxValue;

    /// <summary>Writes entries as one bundle.</summary>
    /// <param name="entries">At most 256 entries of at most <see cref="MaxEntrySize"/> bytes each.</param>
    /// <returns>The bundle's bytes.</returns>
    /// <exception cref="ArgumentException">An entry is too large for a 16-bit length, or there are more than 256.</exception>
    public static byte[] Encode(IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count > TileAddress.FullWidth)
        {
            throw new ArgumentException($"a bundle holds at most {TileAddress.FullWidth} entries, not {entries.Count}", nameof(entries));
        }

        var length = 0;
        foreach (var entry in entries)
        {
            if (entry.Length > MaxEntrySize)
            {
                throw new ArgumentException($"an entry of {entry.Length} bytes is larger than the {MaxEntrySize} a bundle can carry", nameof(entries));
            }

            length += sizeof(ushort) + entry.Length;
        }

        var bundle = new byte[length];
        var at = 0;
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bundle.AsSpan(at), (ushort)entry.Length);
            entry.Span.CopyTo(bundle.AsSpan(at + sizeof(ushort)));
            at += sizeof(ushort) + entry.Length;
        }

        return bundle;
    }

    /// <summary>Reads a bundle of exactly <paramref name="count"/> entries.</summary>
    /// <param name="bundle">The bundle's bytes.</param>
    /// <param name="count">How many entries the bundle's width says it holds.</param>
    /// <param name="entries">The entries, when the bundle holds exactly that many and nothing after them.</param>
    /// <param name="error">Why it does not, when it does not.</param>
    /// <returns><see langword="true"/> when the bundle is well formed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bundle, int count, [NotNullWhen(true)] out IReadOnlyList<byte[]>? entries, [NotNullWhen(false)] out string? error)
    {
        entries = null;
        var list = new List<byte[]>(Math.Clamp(count, 0, TileAddress.FullWidth));
        var at = 0;
        while (at < bundle.Length)
        {
            if (list.Count == count)
            {
                error = $"the bundle holds more than the {count} entries its width says";
                return false;
            }

            if (bundle.Length - at < sizeof(ushort))
            {
                error = $"entry {list.Count} of the bundle has a cut length prefix";
                return false;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(bundle[at..]);
            at += sizeof(ushort);
            if (bundle.Length - at < length)
            {
                error = $"entry {list.Count} of the bundle is cut short: {bundle.Length - at} of {length} bytes";
                return false;
            }

            list.Add(bundle.Slice(at, length).ToArray());
            at += length;
        }

        if (list.Count != count)
        {
            error = $"the bundle holds {list.Count} entries, not the {count} its width says";
            return false;
        }

        entries = list;
        error = null;
        return true;
    }
}
