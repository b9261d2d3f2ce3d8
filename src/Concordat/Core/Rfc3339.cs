using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Concordat.Core;

/// <summary>
/// RFC 3339 instants in UTC: <c>2026-01-01T00:00:00Z</c>, with optional fractional seconds.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public static partial class Rfc3339
{
    /// <summary>Parses an RFC 3339 instant whose offset is UTC (<c>Z</c> or <c>+00:00</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="instant">The instant, when the text is well formed.</param>
    /// <param name="error">Why the text is not a UTC instant, when it is not.</param>
    /// <returns><see langword="true"/> when the text is an RFC 3339 UTC instant.</returns>
    // Spec: RFC 3339 §5.6 (date-time); Concordat accepts only the UTC offset so that one instant has one spelling.
    public static bool TryParseUtc(string? text, out DateTimeOffset instant, [NotNullWhen(false)] out string? error)
    {
        instant = default;
        if (text is null || !Pattern().IsMatch(text))
        {
            error = "expected an RFC 3339 UTC instant such as `2026-01-01T00:00:00Z`";
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out instant))
        {
            error = "the date or time does not exist";
            return false;
        }

        if (instant.Offset != TimeSpan.Zero)
        {
            error = "the instant must be in UTC: end it with `Z`";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Writes an instant in its canonical UTC form, with fractional seconds only when there are any.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The text, such as <c>2026-01-01T00:00:00Z</c>.</returns>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?([Zz]|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
