using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Concordat.Privacy;

/// <summary>
/// A parsed generalise rule parameter: <c>month</c>, <c>year</c>, <c>range:N</c> or <c>prefix:N</c>.
/// </summary>
/// <param name="Kind">How the value is coarsened.</param>
/// <param name="Amount">The bucket width for <see cref="GeneralisationKind.Range"/>, the kept characters for <see cref="GeneralisationKind.Prefix"/>, otherwise 0.</param>
// CAUTION: persisted/public format; see docs/formats/datasets.md
public readonly record struct Generalisation(GeneralisationKind Kind, long Amount)
{
    /// <summary>The longest text <see cref="TryApply"/> can write for a range: two 20-character numbers and a hyphen.</summary>
    public const int MaxRangeLength = 41;

    /// <summary>Parses a generalise rule parameter.</summary>
    /// <param name="parameter">The parameter as written in the agreement.</param>
    /// <param name="generalisation">The parsed parameter.</param>
    /// <returns><see langword="true"/> when the parameter is well formed (amounts are positive whole numbers).</returns>
    public static bool TryParse([NotNullWhen(true)] string? parameter, out Generalisation generalisation)
    {
        generalisation = default;
        switch (parameter)
        {
            case null:
                return false;
            case "month":
                generalisation = new Generalisation(GeneralisationKind.Month, 0);
                return true;
            case "year":
                generalisation = new Generalisation(GeneralisationKind.Year, 0);
                return true;
        }

        var colon = parameter.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var kind = parameter[..colon] switch
        {
            "range" => GeneralisationKind.Range,
            "prefix" => GeneralisationKind.Prefix,
            _ => (GeneralisationKind?)null,
        };
        var amountText = parameter.AsSpan(colon + 1);
        if (kind is null || amountText.IsEmpty || amountText[0] is < '1' or > '9' ||
            !long.TryParse(amountText, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) ||
            (kind == GeneralisationKind.Prefix && amount > int.MaxValue))
        {
            return false;
        }

        generalisation = new Generalisation(kind.Value, amount);
        return true;
    }

    /// <summary>Writes the generalised form of a UTF-8 value.</summary>
    /// <param name="utf8Value">The value: a date (<c>YYYY-MM-DD</c>) or RFC 3339 date-time for month and year, a number for range, text for prefix.</param>
    /// <param name="destination">Where to write; at least <see cref="MaxRangeLength"/> bytes for a range, the value's length otherwise.</param>
    /// <param name="written">The number of bytes written.</param>
    /// <returns><see langword="false"/> when the value does not have the shape the rule needs; callers MUST then withhold the value.</returns>
    // Egress calls this once per value: compiled fully optimised at the first call rather than tiered (see EgressWriter).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryApply(ReadOnlySpan<byte> utf8Value, Span<byte> destination, out int written)
    {
        written = 0;
        switch (Kind)
        {
            case GeneralisationKind.Month:
            case GeneralisationKind.Year:
                // Spec: RFC 3339 §5.6, full-date = date-fullyear "-" date-month "-" ...; the date part is as written.
                if (utf8Value.Length < 7 || !IsDigits(utf8Value[..4]) || utf8Value[4] != (byte)'-' || !IsDigits(utf8Value[5..7]))
                {
                    return false;
                }

                written = Kind == GeneralisationKind.Month ? 7 : 4;
                utf8Value[..written].CopyTo(destination);
                return true;
            case GeneralisationKind.Range:
                return TryWriteRange(utf8Value, destination, out written);
            case GeneralisationKind.Prefix:
                return TryWritePrefix(utf8Value, destination, out written);
            default:
                return false;
        }
    }

    private bool TryWriteRange(ReadOnlySpan<byte> utf8Value, Span<byte> destination, out int written)
    {
        written = 0;
        if (!Utf8Parser.TryParse(utf8Value, out decimal value, out var consumed) || consumed != utf8Value.Length)
        {
            return false;
        }

        // Invariant: the bucket is [low, low + width); for whole numbers it is written low-(low + width - 1).
        var low = decimal.Floor(value / Amount) * Amount;
        if (low < long.MinValue || low + Amount - 1 > long.MaxValue)
        {
            return false;
        }

        var lowWhole = (long)low;
        if (!Utf8Formatter.TryFormat(lowWhole, destination, out var first) || first >= destination.Length)
        {
            return false;
        }

        destination[first] = (byte)'-';
        if (!Utf8Formatter.TryFormat(lowWhole + (Amount - 1), destination[(first + 1)..], out var second))
        {
            return false;
        }

        written = first + 1 + second;
        return true;
    }

    private bool TryWritePrefix(ReadOnlySpan<byte> utf8Value, Span<byte> destination, out int written)
    {
        // Take whole UTF-8 characters: stop before the (Amount + 1)th character start.
        var end = 0;
        var characters = 0;
        while (end < utf8Value.Length)
        {
            if ((utf8Value[end] & 0xC0) != 0x80 && characters++ == Amount)
            {
                break;
            }

            end++;
        }

        while (end > 0 && utf8Value[end - 1] == (byte)' ')
        {
            end--;
        }

        utf8Value[..end].CopyTo(destination);
        written = end;
        return end > 0;
    }

    private static bool IsDigits(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }
}
