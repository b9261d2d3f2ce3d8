using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Evidence;

/// <summary>
/// Decides which log entries belong to an agreement's access record: those naming the agreement, those of its
/// recipients that name no other agreement, the incidents that name it with their acts, and its datasets' imports and
/// attestations, within the period. Memory is flat in the log: it keeps only the ids of the agreement's incidents.
/// </summary>
internal sealed class EvidenceSelection
{
    private readonly string _agreement;
    private readonly HashSet<string> _recipients;
    private readonly HashSet<string> _datasets;
    private readonly HashSet<string> _incidents = new(StringComparer.Ordinal);
    private readonly string? _from;
    private readonly string? _to;

    public EvidenceSelection(AgreementId agreement, IEnumerable<Agreement> versions, DateTimeOffset? from, DateTimeOffset? to)
    {
        _agreement = agreement.Value;
        var all = versions.ToList();
        _recipients = all.SelectMany(a => a.Parties).Where(p => p.Roles.Contains(PartyRole.Recipient)).Select(p => p.Id.Value).ToHashSet(StringComparer.Ordinal);
        _datasets = all.SelectMany(a => a.Datasets).Select(d => d.Id.Value).ToHashSet(StringComparer.Ordinal);

        // Invariant: entry times are written `yyyy-MM-ddTHH:mm:ss.fffZ`, so the period compares as text.
        _from = from is { } f ? Format(f) : null;
        _to = to is { } t ? Format(t) : null;
    }

    /// <summary>Tells whether the canonical entry belongs to the record; its kind (the entry type) is given when it does.</summary>
    public bool Includes(ReadOnlySpan<byte> entry, out string type)
    {
        type = string.Empty;
        using var document = JsonDocument.Parse(entry.ToArray());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("time", out var timeElement) || timeElement.GetString() is not { } time
            || !root.TryGetProperty("type", out var typeElement) || typeElement.GetString() is not { } entryType
            || !root.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if ((_from is not null && string.CompareOrdinal(time, _from) < 0) || (_to is not null && string.CompareOrdinal(time, _to) >= 0))
        {
            return false;
        }

        type = entryType;
        if (JsonMembers.Text(body, "agreement") is { } named)
        {
            return named == _agreement;
        }

        if (body.TryGetProperty("agreements", out var agreements) && agreements.ValueKind == JsonValueKind.Array)
        {
            var names = agreements.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == _agreement);
            if (names && JsonMembers.Text(body, "incidentId") is { } opened)
            {
                _incidents.Add(opened);
            }

            return names;
        }

        if (JsonMembers.Text(body, "incidentId") is { } incident && _incidents.Contains(incident))
        {
            return true;
        }

        if (JsonMembers.Text(body, "recipient") is { } recipient)
        {
            return _recipients.Contains(recipient);
        }

        return JsonMembers.Text(body, "dataset") is { } dataset && _datasets.Contains(dataset);
    }

    private static string Format(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
