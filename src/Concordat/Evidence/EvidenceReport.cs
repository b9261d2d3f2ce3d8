using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Concordat.Compliance;
using Concordat.Core;
using Concordat.Incidents.Playbook;
using Concordat.Log;

namespace Concordat.Evidence;

/// <summary>
/// The human report of a pack, <c>report.html</c>: one self-contained HTML file, readable offline with no script —
/// a summary first, then access over time and permits/denies by recipient and purpose as inline SVG bar charts, the
/// incidents with their timelines, the compliance table, the chronological narrative, and links to the pack's files. It is fed every carried
/// entry; its memory is a count per day and per recipient and purpose, the agreement's incidents, and at most
/// <see cref="MaxNarrativeEvents"/> notable entries (routine traffic is counted per day, never kept).
/// </summary>
internal sealed class EvidenceReport
{
    /// <summary>The most notable entries the narrative names one by one; later ones are counted.</summary>
    public const int MaxNarrativeEvents = 2000;

    private const int BarWidth = 360;

    // Routine traffic: counted per day in the narrative, never listed entry by entry.
    private static readonly Dictionary<string, string> s_routine = new(StringComparer.Ordinal)
    {
        ["gateway.decision/v1"] = "decisions",
        ["gateway.token-issued/v1"] = "tokens issued",
        ["gateway.egress/v1"] = "egresses",
        ["gateway.refusal/v1"] = "refusals",
    };

    private readonly SortedDictionary<string, long> _days = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, (long Permits, long Denies)> _decisions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedDictionary<string, long>> _routine = new(StringComparer.Ordinal);
    private readonly List<(long Index, string Time, string What)> _events = [];
    private readonly Dictionary<string, Incident> _incidents = new(StringComparer.Ordinal);
    private long _eventsLeftOut;

    /// <summary>Gets the narrative: one line per day of routine traffic and per notable entry, in log order.</summary>
    public IEnumerable<string> Narrative()
    {
        var events = 0;
        foreach (var (day, counts) in _routine)
        {
            for (; events < _events.Count && string.CompareOrdinal(_events[events].Time[..10], day) < 0; events++)
            {
                yield return Line(_events[events]);
            }

            yield return $"{day}: " + string.Join(", ", counts.Select(c => $"{c.Value.ToString(CultureInfo.InvariantCulture)} {c.Key}"));
            for (; events < _events.Count && _events[events].Time[..10] == day; events++)
            {
                yield return Line(_events[events]);
            }
        }

        for (; events < _events.Count; events++)
        {
            yield return Line(_events[events]);
        }

        if (_eventsLeftOut > 0)
        {
            yield return $"and {_eventsLeftOut.ToString(CultureInfo.InvariantCulture)} more notable entries, after the first {MaxNarrativeEvents}: see {EvidencePackLayout.EntriesFile}";
        }

        static string Line((long Index, string Time, string What) e) => $"{e.Time} #{e.Index.ToString(CultureInfo.InvariantCulture)} {e.What}";
    }

    public void Read(long index, ReadOnlySpan<byte> entry)
    {
        using var document = JsonDocument.Parse(entry.ToArray());
        var root = document.RootElement;
        var time = root.GetProperty("time").GetString()!;
        var day = time[..10];
        var type = root.GetProperty("type").GetString()!;
        _days[day] = _days.GetValueOrDefault(day) + 1;
        if (s_routine.TryGetValue(type, out var routine))
        {
            var counts = _routine.TryGetValue(day, out var found) ? found : _routine[day] = new(StringComparer.Ordinal);
            counts[routine] = counts.GetValueOrDefault(routine) + 1;
        }
        else if (LogEntry.TryParse(entry, out var parsed, out _))
        {
            if (type is IncidentLog.OpenedType or IncidentLog.ActType)
            {
                IncidentLog.Apply(_incidents, parsed);
            }

            if (_events.Count < MaxNarrativeEvents)
            {
                _events.Add((index, time, Postmortem.Describe(parsed)));
            }
            else
            {
                _eventsLeftOut++;
            }
        }

        if (type != "gateway.decision/v1")
        {
            return;
        }

        var body = root.GetProperty("body");
        var key = $"{JsonMembers.Text(body, "recipient")} / {JsonMembers.Text(body, "purpose")}";
        var (permits, denies) = _decisions.GetValueOrDefault(key);
        _decisions[key] = JsonMembers.Text(body, "effect") == "permit" ? (permits + 1, denies) : (permits, denies + 1);
    }

    public string Write(string agreement, string origin, long treeSize, string rootHash, long entries, ComplianceReport? compliance, IEnumerable<string> files)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Evidence pack: ").Append(E(agreement)).Append("</title>\n")
            .Append("<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}svg text{font-size:12px}</style></head>\n<body>\n")
            .Append("<h1>Evidence pack: ").Append(E(agreement)).Append("</h1>\n<h2>Summary</h2>\n<p>")
            .Append(entries.ToString(CultureInfo.InvariantCulture)).Append(" log entries of agreement <code>").Append(E(agreement))
            .Append("</code>, proven against the checkpoint of log <code>").Append(E(origin)).Append("</code> at size ")
            .Append(treeSize.ToString(CultureInfo.InvariantCulture)).Append(", root <code>").Append(E(rootHash))
            .Append("</code>. Verify the pack with <code>concordat evidence verify PACK --log-key KEY</code>: this page is a reading aid, the signed files are the evidence.</p>\n");
        html.Append("<h2>Access over time</h2>\n");
        Bars(html, "entries per day", _days.Select(d => (d.Key, d.Value, 0L)));
        html.Append("<h2>Permits and denies by recipient and purpose</h2>\n");
        Bars(html, "decisions", _decisions.Select(d => (d.Key, d.Value.Permits, d.Value.Denies)));
        Incidents(html);
        Compliance(html, compliance);
        html.Append("<h2>Narrative</h2>\n<ol class=\"narrative\">\n");
        foreach (var line in Narrative())
        {
            html.Append("<li>").Append(E(line)).Append("</li>\n");
        }

        html.Append("</ol>\n<h2>Files</h2>\n<ul>\n");
        foreach (var file in files)
        {
            html.Append("<li><a href=\"").Append(E(file)).Append("\">").Append(E(file)).Append("</a></li>\n");
        }

        return html.Append("</ul>\n</body></html>\n").ToString();
    }

    // Each incident of the agreement: what was suspected and when, then every act of the playbook with its time.
    private void Incidents(StringBuilder html)
    {
        html.Append("<h2>Incidents</h2>\n");
        if (_incidents.Count == 0)
        {
            html.Append("<p>No incident of this agreement was opened in the period.</p>\n");
            return;
        }

        foreach (var incident in _incidents.Values.OrderBy(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal))
        {
            html.Append("<h3 class=\"incident\">").Append(E(incident.Id)).Append(": ").Append(E(incident.Suspected)).Append("</h3>\n<p>Severity ")
                .Append(E(incident.Severity.ToString().ToLowerInvariant())).Append(", triage owner ").Append(E(incident.TriageOwner))
                .Append(", detected ").Append(E(Core.Rfc3339.Format(incident.DetectedAt))).Append(", ").Append(incident.IsOpen ? "open" : "closed").Append(".</p>\n")
                .Append("<table><tr><th>time</th><th>act</th><th>actor</th><th>detail</th></tr>\n")
                .Append("<tr><td>").Append(E(Core.Rfc3339.Format(incident.OpenedAt))).Append("</td><td>open</td><td>").Append(E(incident.TriageOwner)).Append("</td><td></td></tr>\n");
            foreach (var act in incident.Acts)
            {
                var detail = string.Join(" ", new[] { act.Whom is null ? null : $"to {act.Whom}", act.Detail }.OfType<string>());
                html.Append("<tr><td>").Append(E(Core.Rfc3339.Format(act.At))).Append("</td><td>").Append(E(act.Kind.ToString().ToLowerInvariant()))
                    .Append("</td><td>").Append(E(act.Actor)).Append("</td><td>").Append(E(detail)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }
    }

    // The compliance table of reports/compliance.json: what a reviewer looks for first is a MISSING or EXPIRED row.
    private static void Compliance(StringBuilder html, ComplianceReport? compliance)
    {
        html.Append("<h2>Compliance</h2>\n");
        if (compliance is null)
        {
            html.Append("<p>No version of the agreement reads as an agreement, so none was checked.</p>\n");
            return;
        }

        html.Append("<p>Version ").Append(compliance.Version.ToString(CultureInfo.InvariantCulture)).Append(" checked at ").Append(E(Core.Rfc3339.Format(compliance.CheckedAt)))
            .Append(compliance.IsSatisfied ? ": every required item is satisfied" : ": a required item is missing, expired or failed").Append(" (<a href=\"")
            .Append(EvidencePackLayout.ComplianceFile).Append("\">").Append(EvidencePackLayout.ComplianceFile).Append("</a>).</p>\n");
        if (compliance.Regimes.Count == 0)
        {
            html.Append("<p>No regime applies: the agreement's <code>compliance</code> names no jurisdiction or sector a checklist covers.</p>\n");
            return;
        }

        html.Append("<table class=\"compliance\"><tr><th>regime</th><th>item</th><th>status</th><th>artifact</th></tr>\n");
        foreach (var regime in compliance.Regimes)
        {
            foreach (var item in regime.Items)
            {
                var artifact = item.Artifact is { } a ? $"{a.Kind} `{a.Name}` {a.Digest}" : item.Item.Evidence is { } e ? $"log: {ComplianceChecklists.NameOf(e)}" : "-";
                html.Append("<tr><td>").Append(E(regime.Checklist.Regime)).Append("</td><td>").Append(E(item.Item.Id + (item.Item.IsRequired ? string.Empty : " (optional)")))
                    .Append("</td><td>").Append(E(ComplianceReport.NameOf(item.Status))).Append("</td><td>").Append(E(artifact)).Append("</td></tr>\n");
            }
        }

        html.Append("</table>\n");
    }

    // One horizontal bar per row: the first value in blue (entries, permits), the second in red (denies).
    private static void Bars(StringBuilder html, string title, IEnumerable<(string Label, long First, long Second)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            html.Append("<p>none</p>\n");
            return;
        }

        var max = Math.Max(1, list.Max(r => r.First + r.Second));
        var height = (list.Count * 22) + 10;
        html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").Append(BarWidth + 320).Append("\" height=\"").Append(height)
            .Append("\"><title>").Append(E(title)).Append("</title>\n");
        for (var i = 0; i < list.Count; i++)
        {
            var (label, first, second) = list[i];
            var y = (i * 22) + 5;
            var w1 = first * BarWidth / max;
            var w2 = second * BarWidth / max;
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 14}\">{E(label)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"220\" y=\"{y}\" width=\"{w1}\" height=\"18\" fill=\"#3a6ea5\"/>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{220 + w1}\" y=\"{y}\" width=\"{w2}\" height=\"18\" fill=\"#c0392b\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{226 + w1 + w2}\" y=\"{y + 14}\">{first}{(second > 0 ? $" / {second}" : string.Empty)}</text>\n");
        }

        html.Append("</svg>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
