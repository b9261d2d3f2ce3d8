namespace Concordat.Incidents.Playbook;

/// <summary>
/// One service-level clock of an incident: the term (<c>acknowledge</c>, <c>contain</c> or <c>resolve</c>), its deadline
/// (the earliest any affected agreement sets, from detection), the agreements that set that deadline, and when the
/// incident met it, if it has.
/// </summary>
/// <param name="Term">The term: <c>acknowledge</c>, <c>contain</c> or <c>resolve</c>.</param>
/// <param name="Due">The deadline, in UTC.</param>
/// <param name="Agreements">The affected agreements whose term gives this deadline, by id.</param>
/// <param name="MetAt">When the incident met the term, or null while it has not.</param>
public sealed record ServiceLevelClock(string Term, DateTimeOffset Due, IReadOnlyList<string> Agreements, DateTimeOffset? MetAt)
{
    /// <summary>Returns the time left at <paramref name="now"/>: negative once past.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The deadline minus now.</returns>
    public TimeSpan Remaining(DateTimeOffset now) => Due - now;

    /// <summary>Returns whether the term was breached at <paramref name="now"/>: met after its deadline, or past it and not met.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>True when breached.</returns>
    public bool IsBreached(DateTimeOffset now) => (MetAt ?? now) > Due;
}
