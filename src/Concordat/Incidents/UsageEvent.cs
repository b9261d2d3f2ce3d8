using System.Text.Json;
using Concordat.Core;
using Concordat.Log;

namespace Concordat.Incidents;

/// <summary>
/// The members of one gateway entry that the detectors and the KPIs read (docs/formats/gateway-entries.md); the
/// entries hold no client addresses or user agents, and nothing here asks for them.
/// </summary>
internal readonly record struct UsageEvent(
    UsageEventKind Kind,
    DateTimeOffset Time,
    string Recipient,
    string? ClientId,
    string? TokenId,
    string? Dataset,
    string? Jurisdiction,
    string? Subprocessor,
    string? Agreement,
    bool IsDeny,
    long Rows,
    long Bytes,
    DateTimeOffset ExpiresAt,
    string? StoppedBy)
{
    /// <summary>Reads an entry; <see langword="false"/> for an entry of another type or without the members read.</summary>
    public static bool TryRead(LogEntry entry, out UsageEvent read)
    {
        read = default;
        var body = entry.Body;
        if (body.ValueKind != JsonValueKind.Object || Text(body, "recipient") is not { } recipient)
        {
            return false;
        }

        switch (entry.Type)
        {
            case "gateway.decision/v1":
                var request = body.TryGetProperty("record", out var record) && record.ValueKind == JsonValueKind.Object
                    && record.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
                read = new(UsageEventKind.Decision, entry.Time, recipient, Text(body, "clientId"), null, Text(body, "dataset"), Text(body, "jurisdiction"),
                    request.ValueKind == JsonValueKind.Object ? Text(request, "subprocessor") : null, Text(body, "agreement"),
                    Text(body, "effect") == "deny", 0, 0, default, null);
                return true;
            case "gateway.egress/v1":
                // Spec: gateway-entries.md: a reader takes `bytesWritten`, else `bytes` (older entries).
                var bytes = Number(body, "bytesWritten") ?? Number(body, "bytes") ?? 0;
                read = new(UsageEventKind.Egress, entry.Time, recipient, null, Text(body, "tokenId"), Text(body, "dataset"), null, null, null, false,
                    Number(body, "rows") ?? 0, bytes, default, Text(body, "stoppedBy"));
                return true;
            case "gateway.token-issued/v1":
                var expires = Text(body, "expiresAt") is { } e && Rfc3339.TryParseUtc(e, out var at, out _) ? at : entry.Time;
                read = new(UsageEventKind.TokenIssued, entry.Time, recipient, Text(body, "clientId"), Text(body, "tokenId"), null, null, null, null, false, 0, 0, expires, null);
                return true;
            case "gateway.refusal/v1" when Number(body, "status") is 401 or 403:
                read = new(UsageEventKind.Refusal, entry.Time, recipient, Text(body, "clientId"), Text(body, "tokenId"), null, null, null, null, true, 0, 0, default, null);
                return true;
            case "gateway.seal/v1":
                read = new(UsageEventKind.Seal, entry.Time, recipient, null, null, null, null, null, null, false, 0, 0, default, null);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reads a string member; <see langword="null"/> when absent or not a string.</summary>
    public static string? Text(JsonElement body, string name) => JsonMembers.Text(body, name);

    /// <summary>Reads an integer member; <see langword="null"/> when absent or not an integer.</summary>
    public static long? Number(JsonElement body, string name) =>
        body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
