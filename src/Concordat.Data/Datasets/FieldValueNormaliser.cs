using System.Buffers.Text;
using System.Text;
using Concordat.Agreements;

namespace Concordat.Data.Datasets;

/// <summary>
/// Checks one source value against its field's type and writes its normalised JSON form (see docs/formats/datasets.md).
/// </summary>
internal static class FieldValueNormaliser
{
    /// <summary>The longest postcode accepted, in characters.</summary>
    public const int MaxPostcodeLength = 16;

    /// <summary>The most bytes <see cref="TryNormalise"/> writes for a value of <paramref name="length"/> bytes.</summary>
    public static int MaxNormalisedLength(int length) => Math.Max(JsonText.MaxStringLength(length), 48);

    /// <summary>Checks and writes one value; the value MUST be valid UTF-8.</summary>
    /// <param name="type">The field's type.</param>
    /// <param name="kind">What the source value is.</param>
    /// <param name="value">The value's bytes: unquoted text, a number's text, or <c>true</c>/<c>false</c>.</param>
    /// <param name="destination">At least <see cref="MaxNormalisedLength"/> bytes.</param>
    /// <param name="written">The number of bytes written.</param>
    /// <returns>What the value should have been (for example <c>an integer</c>), or <see langword="null"/> when it fits.</returns>
    public static string? TryNormalise(FieldType type, SourceValueKind kind, ReadOnlySpan<byte> value, Span<byte> destination, out int written)
    {
        written = 0;
        if (kind == SourceValueKind.Null)
        {
            "null"u8.CopyTo(destination);
            written = 4;
            return null;
        }

        switch (type)
        {
            case FieldType.String:
                if (kind is not (SourceValueKind.Text or SourceValueKind.JsonString))
                {
                    return "text";
                }

                written = JsonText.WriteString(value, destination);
                return null;
            case FieldType.Integer:
                if (kind is not (SourceValueKind.Text or SourceValueKind.Number) || !IsInteger(value) ||
                    !Utf8Parser.TryParse(value, out long integer, out var consumed) || consumed != value.Length)
                {
                    return "an integer";
                }

                Utf8Formatter.TryFormat(integer, destination, out written);
                return null;
            case FieldType.Decimal:
                if (kind is not (SourceValueKind.Text or SourceValueKind.Number) || !IsDecimal(value) ||
                    !Utf8Parser.TryParse(value, out decimal number, out consumed) || consumed != value.Length)
                {
                    return "a decimal number";
                }

                Utf8Formatter.TryFormat(number, destination, out written);
                return null;
            case FieldType.Boolean:
                if (kind is not (SourceValueKind.Text or SourceValueKind.Boolean))
                {
                    return "`true` or `false`";
                }

                if (Ascii.EqualsIgnoreCase(value, "true"u8))
                {
                    "true"u8.CopyTo(destination);
                    written = 4;
                    return null;
                }

                if (Ascii.EqualsIgnoreCase(value, "false"u8))
                {
                    "false"u8.CopyTo(destination);
                    written = 5;
                    return null;
                }

                return "`true` or `false`";
            case FieldType.Date:
                if (kind is not (SourceValueKind.Text or SourceValueKind.JsonString) || value.Length != 10 || !IsFullDate(value))
                {
                    return "a date (`YYYY-MM-DD`)";
                }

                written = JsonText.WriteString(value, destination);
                return null;
            case FieldType.DateTime:
                if (kind is not (SourceValueKind.Text or SourceValueKind.JsonString) || !IsDateTime(value))
                {
                    return "an RFC 3339 date-time";
                }

                written = JsonText.WriteString(value, destination);
                return null;
            case FieldType.Postcode:
                return kind is SourceValueKind.Text or SourceValueKind.JsonString && TryWritePostcode(value, destination, out written) ? null : "a postcode";
            default:
                return "a known type";
        }
    }

    private static bool IsInteger(ReadOnlySpan<byte> value)
    {
        var digits = value.Length > 0 && value[0] is (byte)'-' or (byte)'+' ? value[1..] : value;
        return digits.Length is > 0 and <= 19 && IsDigits(digits);
    }

    // Accepted: -?digits(.digits)?; no exponent, so a value reads the same in every tool.
    private static bool IsDecimal(ReadOnlySpan<byte> value)
    {
        var body = value.Length > 0 && value[0] == (byte)'-' ? value[1..] : value;
        var dot = body.IndexOf((byte)'.');
        return dot < 0
            ? body.Length > 0 && IsDigits(body)
            : dot > 0 && dot < body.Length - 1 && IsDigits(body[..dot]) && IsDigits(body[(dot + 1)..]);
    }

    // Spec: RFC 3339 §5.6 full-date, with the day checked against the month and leap years.
    private static bool IsFullDate(ReadOnlySpan<byte> value)
    {
        if (value[4] != (byte)'-' || value[7] != (byte)'-' || !IsDigits(value[..4]) || !IsDigits(value[5..7]) || !IsDigits(value[8..10]))
        {
            return false;
        }

        var year = Number(value[..4]);
        var month = Number(value[5..7]);
        var day = Number(value[8..10]);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    // Spec: RFC 3339 §5.6 date-time = full-date "T" partial-time time-offset; "T" and "Z" may be lowercase (§5.6 NOTE).
    private static bool IsDateTime(ReadOnlySpan<byte> value)
    {
        if (value.Length < 20 || !IsFullDate(value[..10]) || value[10] is not ((byte)'T' or (byte)'t') ||
            !IsClock(value[11..19], 23, 60))
        {
            return false;
        }

        var rest = value[19..];
        if (rest[0] == (byte)'.')
        {
            var digits = 1;
            while (digits < rest.Length && rest[digits] is >= (byte)'0' and <= (byte)'9')
            {
                digits++;
            }

            if (digits == 1)
            {
                return false;
            }

            rest = rest[digits..];
        }

        return rest.Length switch
        {
            1 => rest[0] is (byte)'Z' or (byte)'z',
            6 => rest[0] is (byte)'+' or (byte)'-' && IsClock(rest[1..], 23, -1),
            _ => false,
        };
    }

    // hh:mm, or hh:mm:ss when maxSecond is not negative.
    private static bool IsClock(ReadOnlySpan<byte> value, int maxHour, int maxSecond)
    {
        var expected = maxSecond < 0 ? 5 : 8;
        if (value.Length != expected || value[2] != (byte)':' || !IsDigits(value[..2]) || !IsDigits(value[3..5]) ||
            Number(value[..2]) > maxHour || Number(value[3..5]) > 59)
        {
            return false;
        }

        return maxSecond < 0 || (value[5] == (byte)':' && IsDigits(value[6..8]) && Number(value[6..8]) <= maxSecond);
    }

    // A postcode: letters, digits and single inner spaces, at most 16 characters; written in uppercase.
    private static bool TryWritePostcode(ReadOnlySpan<byte> value, Span<byte> destination, out int written)
    {
        written = 0;
        if (value.Length is 0 or > MaxPostcodeLength || value[0] == (byte)' ' || value[^1] == (byte)' ')
        {
            return false;
        }

        destination[written++] = (byte)'"';
        foreach (var b in value)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b != (byte)' ')
            {
                return false;
            }

            destination[written++] = b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b;
        }

        destination[written++] = (byte)'"';
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<byte> value) => value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static int Number(ReadOnlySpan<byte> digits)
    {
        var n = 0;
        foreach (var d in digits)
        {
            n = (n * 10) + (d - '0');
        }

        return n;
    }
}
