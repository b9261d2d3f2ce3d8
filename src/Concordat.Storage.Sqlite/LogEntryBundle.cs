namespace Concordat.Storage.Sqlite;

/// <summary>
/// The stored form of consecutive log entries in one row of <c>log_entry_bundles</c> (log schema version 5): each
/// entry as its length in bytes (an unsigned LEB128 varint) followed by its bytes, with nothing before, between or
/// after them. The row's <c>start</c> and <c>count</c> columns give the index of the first entry and how many follow.
/// </summary>
/// <remarks>
/// Reading never trusts the bytes: a length that runs past the end of the bundle, or a bundle that ends before
/// <c>count</c> entries, ends the bundle there, and the entries it should have held read as missing, so that
/// <c>concordat log verify</c> names the first of them.
/// </remarks>
internal static class LogEntryBundle
{
    /// <summary>Writes <paramref name="count"/> entries from <paramref name="first"/> into <paramref name="buffer"/>, growing it if needed.</summary>
    /// <returns>The length of the bundle in <paramref name="buffer"/>.</returns>
    public static int Write(IReadOnlyList<ReadOnlyMemory<byte>> entries, int first, int count, ref byte[] buffer)
    {
        var length = 0;
        for (var i = first; i < first + count; i++)
        {
            length += VarintLength((uint)entries[i].Length) + entries[i].Length;
        }

        if (buffer.Length < length)
        {
            buffer = new byte[Math.Max(length, buffer.Length * 2)];
        }

        var at = 0;
        for (var i = first; i < first + count; i++)
        {
            var entry = entries[i].Span;
            for (var value = (uint)entry.Length; ; value >>= 7)
            {
                if (value < 0x80)
                {
                    buffer[at++] = (byte)value;
                    break;
                }

                buffer[at++] = (byte)(value | 0x80);
            }

            entry.CopyTo(buffer.AsSpan(at));
            at += entry.Length;
        }

        return at;
    }

    /// <summary>
    /// Adds to <paramref name="result"/> the entries of one bundle with an index from <paramref name="next"/> up to
    /// <paramref name="end"/> (exclusive), in order.
    /// </summary>
    /// <param name="start">The index of the bundle's first entry.</param>
    /// <param name="count">How many entries the bundle says it holds.</param>
    /// <param name="bundle">The stored bytes.</param>
    /// <param name="next">The lowest index still to return: bundles are read in ascending start, so an entry of an
    /// overlapping bundle is never returned twice nor out of order.</param>
    /// <param name="end">The index after the last one to return.</param>
    /// <param name="result">The list to add to.</param>
    /// <returns>The lowest index still to return after this bundle.</returns>
    public static long Read(long start, long count, ReadOnlySpan<byte> bundle, long next, long end, List<(long Index, byte[] Entry)> result)
    {
        var at = 0;
        for (var k = 0L; k < count; k++)
        {
            var index = start + k;
            if (index >= end || !TryReadLength(bundle, ref at, out var length) || length > bundle.Length - at)
            {
                break;
            }

            if (index >= next)
            {
                result.Add((index, bundle.Slice(at, length).ToArray()));
                next = index + 1;
            }

            at += length;
        }

        return next;
    }

    private static int VarintLength(uint value)
    {
        var bytes = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            bytes++;
        }

        return bytes;
    }

    private static bool TryReadLength(ReadOnlySpan<byte> bundle, ref int at, out int length)
    {
        length = 0;
        for (var shift = 0; shift < 32 && at < bundle.Length; shift += 7)
        {
            var b = bundle[at++];
            var value = (long)(b & 0x7F) << shift;
            if (length + value > int.MaxValue)
            {
                return false;
            }

            length += (int)value;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
