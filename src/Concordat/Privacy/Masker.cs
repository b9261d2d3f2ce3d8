using System.Runtime.CompilerServices;

namespace Concordat.Privacy;

/// <summary>
/// Masks values: every character but the last few becomes <c>*</c>.
/// </summary>
/// <remarks>
/// Characters are Unicode scalar values of the UTF-8 input, so a masked value has as many characters as the original
/// (the length is not hidden). A value with no more characters than are kept is masked entirely, so a rule never
/// reveals a whole short value. See docs/formats/datasets.md.
/// </remarks>
public static class Masker
{
    /// <summary>The character that replaces masked characters.</summary>
    public const byte MaskCharacter = (byte)'*';

    /// <summary>Writes the masked form of a UTF-8 value.</summary>
    /// <param name="utf8Value">The value's UTF-8 bytes.</param>
    /// <param name="keepTrailing">How many trailing characters stay visible.</param>
    /// <param name="destination">Where to write; at least as long as <paramref name="utf8Value"/>.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keepTrailing"/> is negative.</exception>
    /// <exception cref="ArgumentException">The destination is shorter than the value.</exception>
    // Egress calls this once per value: compiled fully optimised at the first call rather than tiered (see EgressWriter).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Mask(ReadOnlySpan<byte> utf8Value, int keepTrailing, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepTrailing);
        if (destination.Length < utf8Value.Length)
        {
            throw new ArgumentException("the destination is shorter than the value", nameof(destination));
        }

        // Walk back over the kept characters; a UTF-8 character starts at any byte that is not 10xxxxxx.
        var tailStart = utf8Value.Length;
        var kept = 0;
        while (kept < keepTrailing && tailStart > 0)
        {
            tailStart--;
            if ((utf8Value[tailStart] & 0xC0) != 0x80)
            {
                kept++;
            }
        }

        var masked = 0;
        foreach (var b in utf8Value[..tailStart])
        {
            if ((b & 0xC0) != 0x80)
            {
                masked++;
            }
        }

        // Security: nothing masked means the whole value would show; mask it all instead.
        if (masked == 0)
        {
            tailStart = utf8Value.Length;
            masked = kept;
        }

        destination[..masked].Fill(MaskCharacter);
        utf8Value[tailStart..].CopyTo(destination[masked..]);
        return masked + (utf8Value.Length - tailStart);
    }
}
