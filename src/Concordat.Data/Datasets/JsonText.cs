using System.Buffers;
using System.Runtime.CompilerServices;

namespace Concordat.Data.Datasets;

/// <summary>
/// Writes JSON strings from UTF-8 bytes, escaping only what RFC 8259 requires.
/// </summary>
internal static class JsonText
{
    private static readonly SearchValues<byte> s_needsEscape = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, (byte)'"', (byte)'\\']);

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>The most bytes <see cref="WriteString"/> writes for a value of <paramref name="length"/> bytes.</summary>
    public static int MaxStringLength(int length) => (length * 6) + 2;

    /// <summary>Writes <paramref name="utf8"/> as a quoted JSON string; the input MUST be valid UTF-8.</summary>
    /// <returns>The number of bytes written.</returns>
    // Egress calls this once per value: compiled fully optimised at the first call rather than tiered (see EgressWriter).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int WriteString(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        var at = 1;
        while (true)
        {
            var next = utf8.IndexOfAny(s_needsEscape);
            if (next < 0)
            {
                utf8.CopyTo(destination[at..]);
                at += utf8.Length;
                break;
            }

            utf8[..next].CopyTo(destination[at..]);
            at += next;
            at += WriteEscape(utf8[next], destination[at..]);
            utf8 = utf8[(next + 1)..];
        }

        destination[at++] = (byte)'"';
        return at;
    }

    // Spec: RFC 8259 §7: quotation mark, reverse solidus and U+0000..U+001F MUST be escaped; the short forms are used where they exist.
    private static int WriteEscape(byte b, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        byte shortForm = b switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            (byte)'\b' => (byte)'b',
            (byte)'\f' => (byte)'f',
            _ => 0,
        };
        if (shortForm != 0)
        {
            destination[1] = shortForm;
            return 2;
        }

        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = HexDigits[b >> 4];
        destination[5] = HexDigits[b & 0xF];
        return 6;
    }
}
