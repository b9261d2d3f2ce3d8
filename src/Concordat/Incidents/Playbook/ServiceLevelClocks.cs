using Concordat.Agreements;

namespace Concordat.Incidents.Playbook;

/// <summary>
/// The service-level clocks of an incident (docs/design/incidents.md#service-levels): for each term an affected
/// agreement's <c>incidents.serviceLevels</c> sets, the earliest deadline from detection, and when the incident's acts met
/// it. A pure function of the incident and the agreements, so any party holding both recomputes the same clocks.
/// </summary>
public static class ServiceLevelClocks
{
    /// <summary>The term met by the incident's first act of any kind.</summary>
    public const string Acknowledge = "acknowledge";

    /// <summary>The term met by the incident's first seal, or its close.</summary>
    public const string Contain = "contain";

    /// <summary>The term met by the incident's close.</summary>
    public const string Resolve = "resolve";

    /// <summary>Computes the clocks of <paramref name="incident"/> under <paramref name="affected"/>.</summary>
    /// <param name="incident">The incident, with its acts so far.</param>
    /// <param name="affected">The affected agreements (those the incident names, in force).</param>
    /// <returns>One clock per term some agreement sets, in the order acknowledge, contain, resolve.</returns>
    public static IReadOnlyList<ServiceLevelClock> Compute(Incident incident, IEnumerable<Agreement> affected)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(affected);
        var levels = affected.Where(a => a.Incidents?.ServiceLevels is not null).Select(a => (a.Id.Value, Levels: a.Incidents!.ServiceLevels!)).ToList();
        var acts = incident.Acts;
        var clocks = new List<ServiceLevelClock>(3);
        Add(clocks, incident, Acknowledge, levels.Select(l => (l.Value, l.Levels.Acknowledge)), acts.Count > 0 ? (DateTimeOffset?)acts[0].At : null);
        Add(clocks, incident, Contain, levels.Select(l => (l.Value, l.Levels.Contain)), acts.FirstOrDefault(a => a.Kind is IncidentActKind.Seal or IncidentActKind.Close)?.At);
        Add(clocks, incident, Resolve, levels.Select(l => (l.Value, l.Levels.Resolve)), acts.FirstOrDefault(a => a.Kind == IncidentActKind.Close)?.At);
        return clocks;
    }

    private static void Add(List<ServiceLevelClock> clocks, Incident incident, string term, IEnumerable<(string Agreement, TimeSpan? Within)> terms, DateTimeOffset? metAt)
    {
        var set = terms.Where(t => t.Within is not null).ToList();
        if (set.Count == 0)
        {
            return;
        }

        var within = set.Min(t => t.Within!.Value);

        // Spec: elapsed time from detection, as the hour-based notification clocks are counted; shown in UTC.
        var due = incident.DetectedAt.ToUniversalTime() + within;
        var agreements = set.Where(t => t.Within == within).Select(t => t.Agreement).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        clocks.Add(new ServiceLevelClock(term, due, agreements, metAt));
    }
}
