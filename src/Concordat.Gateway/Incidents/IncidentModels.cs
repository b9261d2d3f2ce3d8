using System.Globalization;
using Concordat.Gateway.Recipients;
using Concordat.Incidents.Playbook;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// Opens an incident: its severity (<c>low</c>, <c>medium</c>, <c>high</c>, <c>critical</c>), what is suspected, the
/// triage owner, when it was detected (now when absent: every notification clock starts there), and what it affects.
/// </summary>
internal sealed record OpenIncidentRequest(
    string? Severity,
    string? Suspected,
    string? TriageOwner,
    DateTimeOffset? DetectedAt,
    IReadOnlyList<string>? Agreements,
    IReadOnlyList<string>? Recipients,
    IReadOnlyList<string>? Datasets,
    IReadOnlyList<long>? Alerts);

/// <summary>
/// One act of the playbook: <c>seal</c>, <c>snapshot</c>, <c>notify</c> (to <c>whom</c>, given at <c>givenAt</c>, now
/// when absent), <c>remediate</c> or <c>close</c> (with <c>rootCause</c>, <c>fixes</c> and <c>policyChanges</c>).
/// </summary>
internal sealed record IncidentActRequest(
    string? Act,
    string? Actor,
    string? Detail,
    string? Whom,
    DateTimeOffset? GivenAt,
    string? RootCause,
    IReadOnlyList<string>? Fixes,
    IReadOnlyList<string>? PolicyChanges);

/// <summary>An incident with its acts and its notification clocks as they stand now.</summary>
internal sealed record IncidentSummary(
    string Id,
    string Severity,
    string Suspected,
    string TriageOwner,
    DateTimeOffset DetectedAt,
    DateTimeOffset OpenedAt,
    bool IsOpen,
    bool IsDrill,
    bool IsOverdue,
    IReadOnlyList<string> Agreements,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> Datasets,
    IReadOnlyList<string> Alerts,
    IReadOnlyList<IncidentActView> Acts,
    IReadOnlyList<NotificationView> Notifications,
    IReadOnlyList<ServiceLevelView> ServiceLevels)
{
    public static IncidentSummary Of(Incident incident, bool isDrill, IReadOnlyList<NotificationState> notifications, IReadOnlyList<ServiceLevelClock> serviceLevels, DateTimeOffset now) => new(
        incident.Id,
        Name(incident.Severity),
        incident.Suspected,
        incident.TriageOwner,
        incident.DetectedAt,
        incident.OpenedAt,
        incident.IsOpen,
        isDrill,
        notifications.Any(n => n.IsOverdue),
        incident.Agreements,
        incident.Recipients,
        incident.Datasets,
        incident.Alerts,
        [.. incident.Acts.Select(a => new IncidentActView(Name(a.Kind), a.At, a.Actor, a.Detail, a.Whom))],
        [.. notifications.Select(n => NotificationView.Of(n, now))],
        [.. serviceLevels.Select(c => ServiceLevelView.Of(c, now))]);

    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}

/// <summary>One act done on an incident.</summary>
internal sealed record IncidentActView(string Act, DateTimeOffset At, string Actor, string? Detail, string? Whom);

/// <summary>
/// One notification clock: whom to tell, by which rule, the deadline in UTC and in the zone of whom it is owed to
/// (<c>dueLocal</c>, RFC 3339 with that zone's offset), whether it was given, and the seconds left (negative once past).
/// </summary>
internal sealed record NotificationView(
    string Whom,
    string Rule,
    DateTimeOffset Due,
    string TimeZone,
    string DueLocal,
    IReadOnlyList<string> Rules,
    IReadOnlyList<string> Agreements,
    DateTimeOffset? GivenAt,
    bool IsOverdue,
    long SecondsLeft)
{
    public static NotificationView Of(NotificationState state, DateTimeOffset now) => new(
        state.Clock.Whom,
        state.Clock.Rule,
        state.Clock.Due,
        state.Clock.TimeZone,
        state.Clock.DueLocal.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        state.Clock.Rules,
        state.Clock.Agreements,
        state.GivenAt,
        state.IsOverdue,
        (long)Math.Floor(state.Clock.Remaining(now).TotalSeconds));
}

/// <summary>
/// One service-level clock: the term (<c>acknowledge</c>, <c>contain</c>, <c>resolve</c>), its deadline from detection, the
/// agreements that set it, when it was met, whether it is breached (met late, or past and not met), and the seconds
/// left (negative once past).
/// </summary>
internal sealed record ServiceLevelView(string Term, DateTimeOffset Due, IReadOnlyList<string> Agreements, DateTimeOffset? MetAt, bool IsBreached, long SecondsLeft)
{
    public static ServiceLevelView Of(ServiceLevelClock clock, DateTimeOffset now) =>
        new(clock.Term, clock.Due, clock.Agreements, clock.MetAt, clock.IsBreached(now), (long)Math.Floor(clock.Remaining(now).TotalSeconds));
}

/// <summary>The incidents the caller may see, as they stand at <paramref name="Now"/>.</summary>
internal sealed record IncidentList(DateTimeOffset Now, IReadOnlyList<IncidentSummary> Incidents);

/// <summary>
/// An act done: the incident after it; for a seal, each recipient's seal; for a snapshot, its manifest and the folder
/// of the workspace it was written to.
/// </summary>
internal sealed record IncidentActResponse(IncidentSummary Incident, IReadOnlyList<SealResponse>? Seals = null, ForensicSnapshotManifest? Snapshot = null, string? SnapshotDirectory = null);
