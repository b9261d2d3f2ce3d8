using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Concordat.Gateway.Journal;

/// <summary>
/// Writes every instant the gateway writes, in its log entries and its answers, in the one form a log entry's
/// <c>time</c> has: RFC 3339 UTC with exactly three fraction digits and <c>Z</c> (<c>2026-03-04T03:06:07.891Z</c>),
/// truncated to the millisecond; reads any RFC 3339 instant.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/log-entry.md and docs/formats/gateway-entries.md
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The form, as a .NET format string.</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Writes <paramref name="time"/> in the one form: UTC, truncated to the millisecond.</summary>
    public static string ToText(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerMillisecond)).ToString(Format, CultureInfo.InvariantCulture);
    }

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ToText(value));
    }
}
