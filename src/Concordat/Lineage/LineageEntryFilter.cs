using System.Text;
using System.Text.Json;

namespace Concordat.Lineage;

/// <summary>
/// The entry types <see cref="LineageGraphBuilder"/> reads, and a look at stored entry bytes that tells, without
/// parsing them, whether an entry can be one the graph reads: most of a log (tokens, refused decisions, egress
/// attestations, alerts) is then read past without a parse.
/// </summary>
internal static class LineageEntryFilter
{
    public const string DatasetImport = "gateway.dataset-import/v1";
    public const string Decision = "gateway.decision/v1";
    public const string Egress = "gateway.egress/v1";
    public const string Agreement = "gateway.agreement/v1";
    public const string Attestation = "gateway.attestation/v1";

    /// <summary>Whether the stored bytes may be an entry the graph reads, so that they are worth parsing in full.</summary>
    /// <remarks>
    /// Invariant: <see langword="false"/> only for bytes that either are no canonical entry (which the parse refuses)
    /// or are an entry <see cref="LineageGraphBuilder.Add(long, Log.LogEntry)"/> reads past: another type, a decision
    /// whose body's <c>effect</c> is not <c>permit</c>, an attestation whose <c>kind</c> is not <c>model</c>. Bytes it
    /// cannot judge are <see langword="true"/>, and the parse decides.
    /// </remarks>
    public static bool IsRead(ReadOnlySpan<byte> stored)
    {
        if (!TryReadType(stored, out var type))
        {
            return true;
        }

        return Ascii.Equals(type, Decision) ? BodyMemberIs(stored, "effect"u8, "permit"u8)
            : Ascii.Equals(type, Attestation) ? BodyMemberIs(stored, "kind"u8, "model"u8)
            : Ascii.Equals(type, Egress) || Ascii.Equals(type, DatasetImport) || Ascii.Equals(type, Agreement);
    }

    // Spec: docs/formats/log-entry.md — a stored entry is the RFC 8785 form of {"body","time","type"}, members in that
    // order, so it ends with `,"type":"<type>"}`; a valid type needs no escape, so its opening quote is the last quote
    // before the final `"}`. Bytes of any other shape are no canonical entry: the caller parses them to be refused.
    private static bool TryReadType(ReadOnlySpan<byte> stored, out ReadOnlySpan<byte> type)
    {
        type = default;
        if (!stored.EndsWith("\"}"u8))
        {
            return false;
        }

        var head = stored[..^2];
        var quote = head.LastIndexOf((byte)'"');
        if (quote < 0 || !head[..(quote + 1)].EndsWith(",\"type\":\""u8))
        {
            return false;
        }

        type = head[(quote + 1)..];
        return true;
    }

    // Whether the body's member (at the body's top level, where the builder reads it) is the string given. The body is
    // the entry's first member; a canonical entry has no duplicate names, so the first match is the only one.
    private static bool BodyMemberIs(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> member, ReadOnlySpan<byte> value)
    {
        try
        {
            var reader = new Utf8JsonReader(stored);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("body"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return true;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMember = reader.ValueTextEquals(member);
                if (!reader.Read())
                {
                    return true;
                }

                if (isMember)
                {
                    return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(value);
                }

                reader.Skip();
            }

            return false;
        }
        catch (JsonException)
        {
            return true;
        }
    }
}
