namespace Concordat.Incidents.Playbook;

/// <summary>
/// An incident and the acts done on it so far, folded from its log entries: the opening (severity, what is suspected,
/// the triage owner, what it affects, the alerts it links by their log entry ids) and every act after it.
/// </summary>
/// <param name="Id">The incident id.</param>
/// <param name="Severity">The severity.</param>
/// <param name="Suspected">What is suspected, in words.</param>
/// <param name="TriageOwner">Who owns triage.</param>
/// <param name="DetectedAt">When the incident was detected: every notification clock starts here.</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="Agreements">The affected agreements, by id.</param>
/// <param name="Recipients">The affected recipients, by party id.</param>
/// <param name="Datasets">The affected datasets, by id.</param>
/// <param name="Alerts">The linked alerts, as opaque ids (their log entries').</param>
public sealed record Incident(
    string Id,
    IncidentSeverity Severity,
    string Suspected,
    string TriageOwner,
    DateTimeOffset DetectedAt,
    DateTimeOffset OpenedAt,
    IReadOnlyList<string> Agreements,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> Datasets,
    IReadOnlyList<string> Alerts)
{
    /// <summary>Gets the acts done so far, in the order they were logged.</summary>
    public IReadOnlyList<IncidentAct> Acts { get; init; } = [];

    /// <summary>Gets whether the incident is still open (not closed).</summary>
    public bool IsOpen => !Acts.Any(a => a.Kind == IncidentActKind.Close);

    /// <summary>Returns whether the incident concerns <paramref name="recipient"/>: a recipient sees only those.</summary>
    /// <param name="recipient">The recipient's party id.</param>
    /// <returns>True when it is one of the affected recipients.</returns>
    public bool Concerns(string recipient) => Recipients.Contains(recipient, StringComparer.Ordinal);

    /// <summary>Returns the incident with <paramref name="act"/> done, or says why it cannot be.</summary>
    /// <param name="act">The act.</param>
    /// <param name="error">Why not, when it cannot be.</param>
    /// <returns>The incident with the act, or null.</returns>
    public Incident? TryApply(IncidentAct act, out string? error)
    {
        ArgumentNullException.ThrowIfNull(act);
        error = !IsOpen ? $"incident `{Id}` is closed: open another"
            : act.At < OpenedAt ? $"the act is dated before incident `{Id}` was opened"
            : act.Kind == IncidentActKind.Notify && string.IsNullOrEmpty(act.Whom) ? "a notification names whom it was given to"
            : act.Kind == IncidentActKind.Seal && Recipients.Count == 0 ? $"incident `{Id}` affects no recipient to seal"
            : null;
        return error is null ? this with { Acts = [.. Acts, act] } : null;
    }

    /// <summary>
    /// Returns the state of every notification clock at <paramref name="now"/>: given (and when), pending, or overdue.
    /// </summary>
    /// <param name="clocks">The incident's clocks, from <see cref="NotificationClocks.Compute"/>.</param>
    /// <param name="now">The current time.</param>
    /// <returns>One state per clock, in the clocks' order.</returns>
    public IReadOnlyList<NotificationState> Notifications(IEnumerable<NotificationClock> clocks, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(clocks);
        return [.. clocks.Select(clock =>
        {
            var given = Acts.FirstOrDefault(a => a.Kind == IncidentActKind.Notify && a.Whom == clock.Whom)?.At;
            return new NotificationState(clock, given, given is null && IsOpen && clock.Due < now);
        })];
    }
}
