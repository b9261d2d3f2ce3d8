using System.Globalization;
using System.Text;

namespace Concordat.Data.Parquet;

/// <summary>The dates and instants of stored rows as Parquet.Net's values.</summary>
internal static class ParquetTime
{
    private const long MaxOffsetTicks = 14 * TimeSpan.TicksPerHour;

    /// <summary>Reads a stored <c>YYYY-MM-DD</c> date.</summary>
    /// <exception cref="FormatException">The value is not one.</exception>
    public static DateOnly ParseDate(ReadOnlySpan<byte> value) =>
        value.Length == 10 && ParseDateOrDefault(value) is { } date
            ? date
            : DateOnly.ParseExact(Encoding.UTF8.GetString(value), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a stored RFC 3339 date-time as a UTC instant, exactly as <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>
    /// reads it (the rows endpoint's text read back): the common form (<c>T</c>, seconds below 60, at most seven
    /// fraction digits, <c>Z</c> or an offset within ±14:00) is read here, and anything else goes to that parser.
    /// </summary>
    /// <returns><see langword="false"/> when no instant holds it (a leap second, or out of range).</returns>
    public static bool TryParseInstant(ReadOnlySpan<byte> value, out DateTime instant)
    {
        if (TryParseCommon(value, out var ticks))
        {
            instant = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }

        var isParsed = DateTimeOffset.TryParse(Encoding.UTF8.GetString(value), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed);
        instant = isParsed ? parsed.UtcDateTime : default;
        return isParsed;
    }

    private static bool TryParseCommon(ReadOnlySpan<byte> value, out long ticks)
    {
        ticks = 0;
        if (value.Length < 20 || value[10] != 'T' || value[13] != ':' || value[16] != ':' ||
            !TryDigits(value[11..13], out var hour) || !TryDigits(value[14..16], out var minute) || !TryDigits(value[17..19], out var second) ||
            hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var date = ParseDateOrDefault(value[..10]);
        if (date is not { } day)
        {
            return false;
        }

        var rest = value[19..];
        long fraction = 0;
        if (rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && rest[digits] is >= (byte)'0' and <= (byte)'9')
            {
                digits++;
            }

            if (digits == 1 || digits > 8)
            {
                return false;
            }

            for (var i = 1; i < 8; i++)
            {
                fraction = (fraction * 10) + (i < digits ? rest[i] - '0' : 0);
            }

            rest = rest[digits..];
        }

        long offset;
        if (rest.Length == 1 && rest[0] == 'Z')
        {
            offset = 0;
        }
        else if (rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':' && TryDigits(rest[1..3], out var offsetHours) && TryDigits(rest[4..], out var offsetMinutes) && offsetMinutes <= 59)
        {
            offset = ((offsetHours * TimeSpan.TicksPerHour) + (offsetMinutes * TimeSpan.TicksPerMinute)) * (rest[0] == '-' ? -1 : 1);
            if (Math.Abs(offset) > MaxOffsetTicks)
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        ticks = day.ToDateTime(TimeOnly.MinValue).Ticks + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + fraction - offset;
        return ticks >= 0 && ticks <= DateTime.MaxValue.Ticks;
    }

    private static DateOnly? ParseDateOrDefault(ReadOnlySpan<byte> value) =>
        value[4] == '-' && value[7] == '-' && TryDigits(value[..4], out var year) && TryDigits(value[5..7], out var month) && TryDigits(value[8..], out var day) &&
        year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int number)
    {
        number = 0;
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            number = (number * 10) + (d - '0');
        }

        return true;
    }
}
