using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Core;

namespace Concordat.Log;

/// <summary>
/// One event in the transparency log: a versioned type, the time it was logged, and a JSON body. The log stores
/// and hashes the RFC 8785 canonical JSON of <c>{"body": ..., "time": ..., "type": ...}</c>.
/// </summary>
/// <remarks>
/// <para>A body MUST NOT carry personal data from the datasets: only pseudonymous ids or keyed commitments, so that
/// an erasure duty never conflicts with an append-only log. The log cannot check this; writers of each entry type
/// are responsible for it.</para>
/// <para>A change to what a type's body means needs a new type version (<c>decision/v2</c>), never an edit.</para>
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/log-entry.md
public sealed class LogEntry
{
    /// <summary>The greatest size of an entry's canonical bytes: 65,535, the most a tile entry bundle's 16-bit length can say.</summary>
    /// <remarks>Spec: <see href="https://c2sp.org/tlog-tiles"/> — entry bundles are big-endian uint16 length-prefixed
    /// entries, so a larger entry could be logged but never served as tiles (docs/formats/log-entry.md).</remarks>
    public const int MaxSize = ushort.MaxValue;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private LogEntry(string type, DateTimeOffset time, JsonElement body, ReadOnlyMemory<byte> canonical)
    {
        Type = type;
        Time = time;
        Body = body;
        CanonicalBytes = canonical;
    }

    /// <summary>Gets the versioned entry type, such as <c>decision/v1</c>.</summary>
    public string Type { get; }

    /// <summary>Gets the time the entry was logged, UTC, to the millisecond.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Gets the body.</summary>
    public JsonElement Body { get; }

    /// <summary>Gets the canonical bytes that the log stores and hashes.</summary>
    public ReadOnlyMemory<byte> CanonicalBytes { get; }

    /// <summary>Tells whether <paramref name="type"/> is a versioned entry type: <c>name/vN</c>, the name lowercase
    /// letters, digits, <c>.</c> and <c>-</c>, starting with a letter.</summary>
    /// <param name="type">The candidate type.</param>
    /// <returns><see langword="true"/> when the type is well formed.</returns>
    public static bool IsValidType([NotNullWhen(true)] string? type)
    {
        if (type is null)
        {
            return false;
        }

        var slash = type.IndexOf("/v", StringComparison.Ordinal);
        if (slash < 1 || !char.IsAsciiLetterLower(type[0]))
        {
            return false;
        }

        var name = type.AsSpan(0, slash);
        var version = type.AsSpan(slash + 2);
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not ('.' or '-'))
            {
                return false;
            }
        }

        return version.Length is > 0 and <= 9 && version[0] != '0' && !version.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>Makes an entry, canonicalising it.</summary>
    /// <param name="type">A versioned type (see <see cref="IsValidType"/>).</param>
    /// <param name="time">The time; it is converted to UTC and truncated to the millisecond.</param>
    /// <param name="body">The body; any JSON value that is I-JSON (RFC 7493).</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentException">The type is not versioned, or the canonical entry is larger than <see cref="MaxSize"/>.</exception>
    /// <exception cref="FormatException">The body is not I-JSON.</exception>
    public static LogEntry Create(string type, DateTimeOffset time, JsonElement body)
    {
        if (!IsValidType(type))
        {
            throw new ArgumentException($"entry type `{type}` is not of the form `name/vN`", nameof(type));
        }

        var utc = time.ToUniversalTime();
        utc = new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var document = new JsonObject
        {
            ["body"] = JsonNode.Parse(body.GetRawText()),
            ["time"] = utc.ToString(TimeFormat, CultureInfo.InvariantCulture),
            ["type"] = type,
        };
        var canonical = CanonicalJson.Canonicalize(document);
        if (canonical.Length > MaxSize)
        {
            throw new ArgumentException($"the entry is {canonical.Length} bytes, more than the {MaxSize} allowed", nameof(body));
        }

        return new LogEntry(type, utc, body.Clone(), canonical);
    }

    /// <summary>Reads stored entry bytes; they MUST be the canonical form of an entry.</summary>
    /// <param name="bytes">The stored bytes.</param>
    /// <param name="entry">The entry, when the bytes are one.</param>
    /// <param name="error">Why the bytes are not an entry, when they are not.</param>
    /// <returns><see langword="true"/> when the bytes are a canonical entry.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out LogEntry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = TryRead(bytes, out var type, out var time, out var body, out error) ? new LogEntry(type, time, body, bytes.ToArray()) : null;
        return entry is not null;
    }

    /// <summary>Reads stored entry bytes that the entry may keep as its <see cref="CanonicalBytes"/> without a copy;
    /// they MUST be the canonical form of an entry.</summary>
    /// <param name="stored">The stored bytes, such as an array a storage read returned; the caller MUST NOT change
    /// them afterwards.</param>
    /// <param name="entry">The entry, when the bytes are one.</param>
    /// <param name="error">Why the bytes are not an entry, when they are not.</param>
    /// <returns><see langword="true"/> when the bytes are a canonical entry.</returns>
    /// <remarks>For readers of the whole log (the gateway's folds), which read a fresh array per entry.</remarks>
    public static bool TryParse(ReadOnlyMemory<byte> stored, [NotNullWhen(true)] out LogEntry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = TryRead(stored.Span, out var type, out var time, out var body, out error) ? new LogEntry(type, time, body, stored) : null;
        return entry is not null;
    }

    /// <summary>Renders the canonical entry as text.</summary>
    /// <returns>The canonical JSON.</returns>
    public override string ToString() => System.Text.Encoding.UTF8.GetString(CanonicalBytes.Span);

    private static bool TryRead(ReadOnlySpan<byte> bytes, out string type, out DateTimeOffset time, out JsonElement body, [NotNullWhen(false)] out string? error)
    {
        // Why one parse: the folds read every entry of the log back through here, so the canonical form is checked by
        // comparing (CanonicalJson.TryParseCanonical) and the body is a part of the one parsed document, not a clone.
        type = "";
        time = default;
        body = default;
        string? typeText = null;
        if (!CanonicalJson.TryParseCanonical(bytes, out var root, out error))
        {
            error ??= "the entry is not in RFC 8785 canonical form";
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object || root.GetPropertyCount() != 3
            || !root.TryGetProperty("type"u8, out var typeElement) || typeElement.ValueKind != JsonValueKind.String || !IsValidType(typeText = typeElement.GetString())
            || !root.TryGetProperty("time"u8, out var timeElement) || !TryParseTime(timeElement, out time)
            || !root.TryGetProperty("body"u8, out body))
        {
            error = "an entry is an object with exactly `type` (`name/vN`), `time` (RFC 3339 UTC, milliseconds) and `body`";
            return false;
        }

        type = typeText;
        return true;
    }

    private static bool TryParseTime(JsonElement time, out DateTimeOffset parsed)
    {
        parsed = default;
        if (time.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // Why raw: the entry is canonical, where an ASCII time needs no escape; a time with one, or with anything
        // not ASCII, fails the format either way. Widening on the stack (a time is 24 characters) avoids a string per entry.
        var raw = JsonMarshal.GetRawUtf8Value(time);
        raw = raw[1..^1];
        Span<char> text = stackalloc char[32];
        return raw.Length <= text.Length
            && Ascii.ToUtf16(raw, text, out var written) == OperationStatus.Done
            && DateTimeOffset.TryParseExact(text[..written], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed);
    }
}
