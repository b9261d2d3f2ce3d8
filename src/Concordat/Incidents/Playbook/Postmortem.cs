using System.Text.Json;
using System.Text.RegularExpressions;
using Concordat.Core;
using Concordat.Log;

namespace Concordat.Incidents.Playbook;

/// <summary>
/// The blameless postmortem an incident is closed with: the root cause, the timeline generated from the log, the
/// fixes and the policy changes.
/// </summary>
/// <param name="IncidentId">The incident id.</param>
/// <param name="RootCause">The root cause, in words.</param>
/// <param name="Timeline">The timeline, from the log.</param>
/// <param name="Fixes">The fixes made.</param>
/// <param name="PolicyChanges">The changes to agreements and policy.</param>
public sealed partial record Postmortem(string IncidentId, string RootCause, IReadOnlyList<TimelineEvent> Timeline, IReadOnlyList<string> Fixes, IReadOnlyList<string> PolicyChanges)
{
    // The body fields that say what an entry did; every other field (digests, records, counts) stays in the log.
    private static readonly string[] s_fields = ["act", "actor", "whom", "recipient", "dataset", "tokenId", "clientId", "code", "effect", "reason"];

    /// <summary>
    /// Generates the timeline of <paramref name="incident"/> from log entries: every entry that names the incident, one
    /// of its linked alerts (by index), or one of its affected recipients or datasets, in log order.
    /// </summary>
    /// <param name="incident">The incident.</param>
    /// <param name="entries">The log entries to read, with their indexes.</param>
    /// <returns>One line per relevant entry.</returns>
    public static IReadOnlyList<TimelineEvent> TimelineFrom(Incident incident, IEnumerable<(long Index, LogEntry Entry)> entries)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(entries);
        return [.. entries
            .Where(e => Names(incident, e.Index, e.Entry))
            .OrderBy(e => e.Index)
            .Select(e => new TimelineEvent(e.Index, e.Entry.Time, Describe(e.Entry)))];
    }

    /// <summary>
    /// Returns the postmortem with personal data removed, for export to partners: the people of the incident (its
    /// triage owner and every actor) become <c>responder-1</c>, <c>responder-2</c>, ... in the order they first
    /// appear, wherever they are named, and e-mail addresses become <c>[e-mail removed]</c>.
    /// </summary>
    /// <param name="incident">The incident, for the names of its people.</param>
    /// <returns>The postmortem without personal data.</returns>
    /// <remarks>
    /// Security: the log holds no row of data and no client address, so the timeline names ids, not people; the
    /// people are those who responded, and free text may name them or their addresses.
    /// </remarks>
    public Postmortem WithoutPersonalData(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var people = new[] { incident.TriageOwner }.Concat(incident.Acts.Select(a => a.Actor))
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Distinct(StringComparer.Ordinal)
            .Select((person, i) => (Person: person, Label: $"responder-{i + 1}"))
            .OrderByDescending(p => p.Person.Length)
            .ToList();
        string Clean(string text)
        {
            text = Email().Replace(text, "[e-mail removed]");
            foreach (var (person, label) in people)
            {
                text = text.Replace(person, label, StringComparison.Ordinal);
            }

            return text;
        }

        return this with
        {
            RootCause = Clean(RootCause),
            Timeline = [.. Timeline.Select(t => t with { What = Clean(t.What) })],
            Fixes = [.. Fixes.Select(Clean)],
            PolicyChanges = [.. PolicyChanges.Select(Clean)],
        };
    }

    private static bool Names(Incident incident, long index, LogEntry entry)
    {
        if (incident.Alerts.Contains(index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal))
        {
            return true;
        }

        if (entry.Body.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        return JsonMembers.Text(entry.Body, "incidentId") == incident.Id
            || (JsonMembers.Text(entry.Body, "recipient") is { } recipient && incident.Recipients.Contains(recipient, StringComparer.Ordinal))
            || (JsonMembers.Text(entry.Body, "dataset") is { } dataset && incident.Datasets.Contains(dataset, StringComparer.Ordinal));
    }

    /// <summary>The entry's type and the body fields that say what it did: one line of a timeline or a narrative.</summary>
    internal static string Describe(LogEntry entry) =>
        string.Join(' ', new[] { entry.Type }.Concat(s_fields
            .Select(field => (Field: field, Value: entry.Body.ValueKind == JsonValueKind.Object ? JsonMembers.Text(entry.Body, field) : null))
            .Where(f => f.Value is not null)
            .Select(f => $"{f.Field}={f.Value}")));

    [GeneratedRegex(@"[^\s@<>()""',;]+@[^\s@<>()""',;]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
