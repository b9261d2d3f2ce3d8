using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Nodes;
using Concordat.Core;
using Concordat.Incidents.Kpi;
using Concordat.Incidents.Playbook;
using Concordat.Log;

namespace Concordat.Incidents.Sharing;

/// <summary>
/// An incident's indicators as a STIX 2.1 bundle, built from log entries alone: one indicator, observed-data and
/// sighting per linked alert, the incident, the sharing gateway's identity, and the TLP 2.0 marking that limits it.
/// docs/formats/stix.md gives the mapping.
/// </summary>
/// <remarks>
/// <para>Security: a bundle names only what the log holds about the traffic: identities (client ids), token ids, the
/// recipient, datasets and agreements by id, alert kinds, counts and times. It MUST NOT carry rows, field values, the
/// free text of an incident (what is suspected, who owns triage) or anything else that may be personal data.</para>
/// <para>Invariant: every id and timestamp comes from the log, so the same entries give the same bundle, byte for
/// byte; memory is bounded by the incidents, the alerts and the tokens of the log read.</para>
/// </remarks>
public sealed class StixExport
{
    /// <summary>The <c>pattern_type</c> and <c>pattern_version</c> of every indicator written.</summary>
    public const string PatternVersion = "2.1";

    /// <summary>The object type the patterns use for a token id (a custom STIX Cyber-observable type).</summary>
    public const string TokenObjectType = "x-concordat-token";

    /// <summary>The TLP 2.0 extension definition (OASIS cti-stix-common-objects).</summary>
    public const string TlpExtension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

    private static readonly TimeSpan s_window = IncidentKpis.Lookback;

    private readonly Dictionary<string, Incident> _incidents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AlertSeen> _alerts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TokenSeen>> _tokens = new(StringComparer.Ordinal);

    /// <summary>Reads the next entry of the log.</summary>
    /// <param name="index">Its index.</param>
    /// <param name="entry">The entry; entries MUST come in log order.</param>
    public void Read(long index, LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Type is IncidentLog.OpenedType or IncidentLog.ActType)
        {
            IncidentLog.Apply(_incidents, entry);
            return;
        }

        var body = entry.Body;
        if (body.ValueKind != System.Text.Json.JsonValueKind.Object || UsageEvent.Text(body, "recipient") is not { } recipient)
        {
            return;
        }

        if (entry.Type == "gateway.alert/v1" && UsageEvent.Text(body, "alert") is { } name)
        {
            var first = Rfc3339.TryParseUtc(UsageEvent.Text(body, "firstAnomalousAt"), out var at, out _) && at <= entry.Time ? at : entry.Time;
            _alerts[index.ToString(CultureInfo.InvariantCulture)] = new AlertSeen(index, name, recipient, UsageEvent.Text(body, "clientId"), first, entry.Time,
                body.TryGetProperty("observed", out var o) && o.TryGetDouble(out var observed) ? observed : 0, UsageEvent.Text(body, "subject"));
        }
        else if (UsageEvent.TryRead(entry, out var e) && e.Kind == UsageEventKind.TokenIssued && e.TokenId is not null)
        {
            if (!_tokens.TryGetValue(recipient, out var list))
            {
                _tokens[recipient] = list = [];
            }

            list.Add(new TokenSeen(e.TokenId, e.ClientId, e.Time, e.ExpiresAt));
        }
    }

    /// <summary>Builds the bundle of one incident from the entries read.</summary>
    /// <param name="incidentId">The incident.</param>
    /// <param name="tlp">The TLP 2.0 level every object is marked with.</param>
    /// <param name="sharer">The name of the identity that shares the bundle (the log's origin, say).</param>
    /// <param name="bundle">The STIX 2.1 bundle, when the log holds the incident.</param>
    /// <returns><see langword="false"/> when no entry read opened the incident.</returns>
    public bool TryBuild(string incidentId, TlpLevel tlp, string sharer, [NotNullWhen(true)] out JsonObject? bundle)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        ArgumentException.ThrowIfNullOrWhiteSpace(sharer);
        bundle = null;
        if (!_incidents.TryGetValue(incidentId, out var incident))
        {
            return false;
        }

        var marking = Marking(tlp);
        var markingId = marking["id"]!.GetValue<string>();
        var identityId = StixIds.Object("identity", sharer);
        var objects = new JsonArray { marking };
        objects.Add(Sdo("identity", identityId, incident.OpenedAt, incident.OpenedAt, markingId, null, new JsonObject
        {
            ["name"] = sharer,
            ["identity_class"] = "system",
        }));

        var incidentStixId = StixIds.Object("incident", incident.Id);
        var modified = incident.Acts.Count > 0 ? incident.Acts.Max(a => a.At) : incident.OpenedAt;
        objects.Add(Sdo("incident", incidentStixId, incident.OpenedAt, modified < incident.OpenedAt ? incident.OpenedAt : modified, markingId, identityId, new JsonObject
        {
            ["name"] = $"Concordat incident {incident.Id}",
            ["description"] = Describe(incident),
            ["labels"] = new JsonArray(incident.Severity.ToString().ToLowerInvariant()),
            ["external_references"] = new JsonArray(new JsonObject { ["source_name"] = "concordat", ["external_id"] = incident.Id }),
        }));

        foreach (var finding in Findings(incident))
        {
            AddFinding(objects, finding, incident, identityId, incidentStixId, markingId);
        }

        bundle = new JsonObject
        {
            ["type"] = "bundle",
            ["id"] = StixIds.Object("bundle", $"{incident.Id}:{tlp}:{sharer}"),
            ["objects"] = objects,
        };
        return true;
    }

    // The linked alerts; for an incident opened without one, each affected recipient over the detectors' window.
    private IEnumerable<AlertSeen> Findings(Incident incident)
    {
        var linked = incident.Alerts.Select(a => _alerts.GetValueOrDefault(a)).OfType<AlertSeen>().OrderBy(a => a.Index).ToList();
        return linked.Count > 0
            ? linked
            : incident.Recipients.Select(r => new AlertSeen(-1, "incident", r, null, incident.DetectedAt - s_window, incident.DetectedAt, 0, null));
    }

    private void AddFinding(JsonArray objects, AlertSeen alert, Incident incident, string identityId, string incidentStixId, string markingId)
    {
        var key = $"{incident.Id}:{(alert.Index >= 0 ? alert.Index.ToString(CultureInfo.InvariantCulture) : alert.Recipient)}";
        var tokens = (_tokens.GetValueOrDefault(alert.Recipient) ?? [])
            .Where(t => t.IssuedAt <= alert.At && t.ExpiresAt >= alert.First && (alert.ClientId is null || t.ClientId == alert.ClientId))
            .ToList();
        var identities = (alert.ClientId is { } client ? [client] : tokens.Select(t => t.ClientId).OfType<string>())
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var tokenIds = tokens.Select(t => t.TokenId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var comparisons = identities.Select(c => $"[user-account:user_id = {Quote(c)}]")
            .Concat(tokenIds.Select(t => $"[{TokenObjectType}:token_id = {Quote(t)}]"))
            .ToList();
        if (comparisons.Count == 0)
        {
            // Nothing names an identity or a token: the indicator is not actionable, and is left out.
            return;
        }

        var stop = alert.At.AddSeconds(1);
        var indicatorId = StixIds.Object("indicator", key);
        objects.Add(Sdo("indicator", indicatorId, alert.At, alert.At, markingId, identityId, new JsonObject
        {
            ["name"] = $"{alert.Name} by recipient {alert.Recipient}",
            ["description"] = DescribeAlert(alert),
            ["indicator_types"] = new JsonArray("anomalous-activity"),
            ["labels"] = new JsonArray(alert.Name, $"recipient:{alert.Recipient}"),
            ["pattern"] = $"({string.Join(" OR ", comparisons)}) START t'{Timestamp(alert.First)}' STOP t'{Timestamp(stop)}'",
            ["pattern_type"] = "stix",
            ["pattern_version"] = PatternVersion,
            ["valid_from"] = Timestamp(alert.First),
        }));

        var accounts = identities.Select(c =>
        {
            var contributing = new JsonObject { ["user_id"] = c };
            return new JsonObject
            {
                ["type"] = "user-account",
                ["spec_version"] = "2.1",
                ["id"] = StixIds.Observable("user-account", contributing),
                ["user_id"] = c,
                ["is_service_account"] = true,
                ["object_marking_refs"] = new JsonArray(markingId),
            };
        }).ToList();
        string? observedId = null;
        if (accounts.Count > 0)
        {
            observedId = StixIds.Object("observed-data", key);
            objects.Add(Sdo("observed-data", observedId, alert.At, alert.At, markingId, identityId, new JsonObject
            {
                ["first_observed"] = Timestamp(alert.First),
                ["last_observed"] = Timestamp(alert.At),
                ["number_observed"] = 1,
                ["object_refs"] = new JsonArray([.. accounts.Select(a => (JsonNode)JsonValue.Create(a["id"]!.GetValue<string>()))]),
            }));
            foreach (var account in accounts.Where(a => !objects.Any(o => o!["id"]!.GetValue<string>() == a["id"]!.GetValue<string>())))
            {
                objects.Add(account);
            }
        }

        var sighting = new JsonObject
        {
            ["first_seen"] = Timestamp(alert.First),
            ["last_seen"] = Timestamp(stop),
            ["count"] = 1,
            ["sighting_of_ref"] = indicatorId,
        };
        if (observedId is not null)
        {
            sighting["observed_data_refs"] = new JsonArray(observedId);
        }

        sighting["where_sighted_refs"] = new JsonArray(identityId);
        objects.Add(Sdo("sighting", StixIds.Object("sighting", key), alert.At, alert.At, markingId, identityId, sighting));
        objects.Add(Sdo("relationship", StixIds.Object("relationship", key), alert.At, alert.At, markingId, identityId, new JsonObject
        {
            ["relationship_type"] = "related-to",
            ["source_ref"] = indicatorId,
            ["target_ref"] = incidentStixId,
        }));
    }

    private static JsonObject Sdo(string type, string id, DateTimeOffset created, DateTimeOffset modified, string markingId, string? createdBy, JsonObject properties)
    {
        var sdo = new JsonObject
        {
            ["type"] = type,
            ["spec_version"] = "2.1",
            ["id"] = id,
        };
        if (createdBy is not null)
        {
            sdo["created_by_ref"] = createdBy;
        }

        sdo["created"] = Timestamp(created);
        sdo["modified"] = Timestamp(modified);
        foreach (var (name, value) in properties.ToList())
        {
            properties.Remove(name);
            sdo[name] = value;
        }

        sdo["object_marking_refs"] = new JsonArray(markingId);
        return sdo;
    }

    /// <summary>The marking definition of a TLP 2.0 level, as the OASIS TLP 2.0 extension fixes it.</summary>
    /// <param name="tlp">The level.</param>
    /// <returns>The marking definition object.</returns>
    public static JsonObject Marking(TlpLevel tlp)
    {
        var (id, name) = Tlp(tlp);
        return new JsonObject
        {
            ["type"] = "marking-definition",
            ["spec_version"] = "2.1",
            ["id"] = id,
            ["created"] = "2022-10-01T00:00:00.000Z",
            ["name"] = $"TLP:{name.ToUpperInvariant()}",
            ["extensions"] = new JsonObject
            {
                [TlpExtension] = new JsonObject { ["extension_type"] = "property-extension", ["tlp_2_0"] = name },
            },
        };
    }

    #region TLP 2.0 marking definitions (Spec: OASIS cti-stix-common-objects, extension-definition-specifications/tlp-2.0)
    private static (string Id, string Name) Tlp(TlpLevel tlp) => tlp switch
    {
        TlpLevel.Clear => ("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"),
        TlpLevel.Green => ("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"),
        TlpLevel.Amber => ("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"),
        TlpLevel.AmberStrict => ("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"),
        TlpLevel.Red => ("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"),
        _ => throw new ArgumentOutOfRangeException(nameof(tlp), tlp, "not a TLP 2.0 level"),
    };
    #endregion

    // Security: built from ids, kinds and counts only; the incident's free text stays out (module remarks).
    private static string Describe(Incident incident)
    {
        var parts = new List<string> { $"severity {incident.Severity.ToString().ToLowerInvariant()}", $"detected {Timestamp(incident.DetectedAt)}" };
        Add(parts, "recipients", incident.Recipients);
        Add(parts, "agreements", incident.Agreements);
        Add(parts, "datasets", incident.Datasets);
        parts.Add(incident.IsOpen ? "open" : "closed");
        return string.Join("; ", parts);
    }

    private static string DescribeAlert(AlertSeen alert)
    {
        var observed = alert.Observed.ToString("0.###", CultureInfo.InvariantCulture);
        var hours = $"{alert.First.UtcDateTime:HH}:00–{alert.At.UtcDateTime:HH}:59 UTC on {alert.First.UtcDateTime.DayOfWeek}";
        return alert.Index < 0
            ? $"traffic of recipient {alert.Recipient} in the {s_window.TotalHours:0} hours before detection"
            : $"alert {alert.Name}: observed {observed}{(alert.Subject is { } s ? $" ({s})" : string.Empty)}; from {Timestamp(alert.First)} to {Timestamp(alert.At)} ({hours})";
    }

    private static void Add(List<string> parts, string name, IReadOnlyList<string> ids)
    {
        if (ids.Count > 0)
        {
            parts.Add($"{name} {string.Join(", ", ids)}");
        }
    }

    // Spec: STIX 2.1 §9.7 (pattern string literals): a quote or backslash in the value is escaped with a backslash.
    private static string Quote(string value) => $"'{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)}'";

    // Spec: STIX 2.1 §3.2: created and modified are UTC with exactly millisecond precision.
    internal static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    private sealed record AlertSeen(long Index, string Name, string Recipient, string? ClientId, DateTimeOffset First, DateTimeOffset At, double Observed, string? Subject);

    private sealed record TokenSeen(string TokenId, string? ClientId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
}
