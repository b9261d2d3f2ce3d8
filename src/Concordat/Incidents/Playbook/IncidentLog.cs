using System.Globalization;
using System.Text.Json;
using Concordat.Core;
using Concordat.Log;

namespace Concordat.Incidents.Playbook;

/// <summary>
/// Reads incidents back from the log: <c>gateway.incident-opened/v1</c> opens one, each <c>gateway.incident-act/v1</c>
/// applies one act (docs/formats/gateway-entries.md). The gateway folds its own log with it, and any party holding an
/// exported log folds the same incidents.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/gateway-entries.md
public static class IncidentLog
{
    /// <summary>The type of the entry that opens an incident.</summary>
    public const string OpenedType = "gateway.incident-opened/v1";

    /// <summary>The type of the entry of one act of the playbook.</summary>
    public const string ActType = "gateway.incident-act/v1";

    /// <summary>Folds one entry into <paramref name="incidents"/> (by id).</summary>
    /// <param name="incidents">The incidents so far.</param>
    /// <param name="entry">The entry, in log order.</param>
    /// <returns>The id of the incident the entry opened or acted on; <see langword="null"/> for any other entry (or an act the incident refuses).</returns>
    public static string? Apply(IDictionary<string, Incident> incidents, LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        ArgumentNullException.ThrowIfNull(entry);
        var body = entry.Body;
        if (body.ValueKind != JsonValueKind.Object || UsageEvent.Text(body, "incidentId") is not { } id)
        {
            return null;
        }

        if (entry.Type == OpenedType && TryReadOpened(entry, id, out var opened))
        {
            incidents[id] = opened;
            return id;
        }

        if (entry.Type == ActType && incidents.TryGetValue(id, out var incident) && TryReadAct(entry, out var act)
            && incident.TryApply(act, out _) is { } applied)
        {
            incidents[id] = applied;
            return id;
        }

        return null;
    }

    /// <summary>Returns whether an entry opened a drill rather than a real incident (<c>drill: true</c>).</summary>
    /// <param name="entry">An entry.</param>
    /// <returns>True for the opening of a drill.</returns>
    public static bool IsDrill(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Type == OpenedType && entry.Body.ValueKind == JsonValueKind.Object
            && entry.Body.TryGetProperty("drill", out var drill) && drill.ValueKind == JsonValueKind.True;
    }

    private static bool TryReadOpened(LogEntry entry, string id, out Incident incident)
    {
        incident = null!;
        var body = entry.Body;
        if (!Enum.TryParse<IncidentSeverity>(UsageEvent.Text(body, "severity"), ignoreCase: true, out var severity)
            || UsageEvent.Text(body, "suspected") is not { } suspected
            || UsageEvent.Text(body, "triageOwner") is not { } owner)
        {
            return false;
        }

        var detected = Rfc3339.TryParseUtc(UsageEvent.Text(body, "detectedAt"), out var at, out _) ? at : entry.Time;
        incident = new Incident(id, severity, suspected, owner, detected, entry.Time, Texts(body, "agreements"), Texts(body, "recipients"), Texts(body, "datasets"), Texts(body, "alerts"));
        return true;
    }

    private static bool TryReadAct(LogEntry entry, out IncidentAct act)
    {
        act = null!;
        var body = entry.Body;
        if (!Enum.TryParse<IncidentActKind>(UsageEvent.Text(body, "act"), ignoreCase: true, out var kind) || UsageEvent.Text(body, "actor") is not { } actor)
        {
            return false;
        }

        // A notification is dated when it was given, which the responder may log later.
        var at = Rfc3339.TryParseUtc(UsageEvent.Text(body, "givenAt"), out var given, out _) ? given : entry.Time;
        act = new IncidentAct(kind, at, actor, UsageEvent.Text(body, "detail"), UsageEvent.Text(body, "whom"));
        return true;
    }

    // Alerts are written as log indexes (numbers); an incident keeps them as opaque ids.
    private static List<string> Texts(JsonElement body, string name) =>
        body.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(v => v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number when v.TryGetInt64(out var n) => n.ToString(CultureInfo.InvariantCulture),
                _ => null,
            }).OfType<string>()]
            : [];
}
