using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Concordat.Core;

/// <summary>
/// ISO 8601 durations of fixed length: weeks (<c>P2W</c>) or days, hours, minutes and whole seconds
/// (<c>P30D</c>, <c>PT15M</c>, <c>P1DT12H</c>). Years and months are refused: their length depends on the calendar.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public static partial class IsoDuration
{
    /// <summary>Parses a duration.</summary>
    /// <param name="text">The text, such as <c>PT15M</c>.</param>
    /// <param name="duration">The duration, when the text is well formed.</param>
    /// <param name="error">Why the text is not a duration, when it is not.</param>
    /// <returns><see langword="true"/> when the text is a fixed-length ISO 8601 duration.</returns>
    public static bool TryParse(string? text, out TimeSpan duration, [NotNullWhen(false)] out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        var match = text is null ? Match.Empty : Pattern().Match(text);
        if (!match.Success || text is "P" or "PT" || text!.EndsWith('T'))
        {
            error = text is not null && YearsOrMonths().IsMatch(text)
                ? "years and months have no fixed length; write days (`P365D`) or weeks (`P4W`)"
                : "expected an ISO 8601 duration such as `PT15M`, `P30D` or `P1DT12H`";
            return false;
        }

        try
        {
            long Part(int group) => match.Groups[group].Success ? long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
            checked
            {
                var seconds = (Part(1) * 7 * 86400) + (Part(2) * 86400) + (Part(3) * 3600) + (Part(4) * 60) + Part(5);
                duration = TimeSpan.FromSeconds(seconds);
            }

            return true;
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentOutOfRangeException)
        {
            error = "the duration is too long";
            return false;
        }
    }

    /// <summary>Writes a duration in its one canonical form: days, hours, minutes and seconds, zero parts left out.</summary>
    /// <param name="duration">A non-negative duration of whole seconds.</param>
    /// <returns>The canonical text, such as <c>P1DT12H</c>; <c>PT0S</c> for zero.</returns>
    public static string Format(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        if (duration == TimeSpan.Zero)
        {
            return "PT0S";
        }

        var builder = new StringBuilder("P");
        var days = (long)duration.TotalDays;
        if (days > 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{days}D");
        }

        if (duration.Hours > 0 || duration.Minutes > 0 || duration.Seconds > 0)
        {
            builder.Append('T');
            if (duration.Hours > 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{duration.Hours}H");
            }

            if (duration.Minutes > 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}M");
            }

            if (duration.Seconds > 0)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}S");
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex(@"^P(?:([0-9]{1,9})W|(?:([0-9]{1,9})D)?(?:T(?:([0-9]{1,9})H)?(?:([0-9]{1,9})M)?(?:([0-9]{1,9})S)?)?)\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    [GeneratedRegex(@"^P(?:[0-9]+Y)|^P(?:[0-9]+Y)?[0-9]+M", RegexOptions.CultureInvariant)]
    private static partial Regex YearsOrMonths();
}
