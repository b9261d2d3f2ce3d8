namespace Concordat.Incidents.Playbook;

/// <summary>
/// Who must be told of an incident by when: the first deadline among every rule that owes this one notification,
/// computed in UTC from the time of detection and shown in the time zone of whom it is owed to.
/// </summary>
/// <param name="Whom">Whom to tell: <c>party:</c> and a party id, or <c>authority:</c> and what it supervises (<c>authority:DE</c>, <c>authority:US-HHS</c>).</param>
/// <param name="Rule">The rule whose deadline comes first (<c>agreement</c>, <c>gdpr-art33</c>, <c>uk-gdpr-art33</c>, <c>hipaa-breach</c>).</param>
/// <param name="Due">The deadline, in UTC.</param>
/// <param name="TimeZone">The IANA time zone the deadline is shown in (<c>UTC</c> when the party names none).</param>
/// <param name="DueLocal">The deadline in <paramref name="TimeZone"/>, with the offset in force at that instant.</param>
/// <param name="Rules">Every rule that owes this notification, the first one first.</param>
/// <param name="Agreements">The affected agreements that owe it, by id.</param>
public sealed record NotificationClock(
    string Whom,
    string Rule,
    DateTimeOffset Due,
    string TimeZone,
    DateTimeOffset DueLocal,
    IReadOnlyList<string> Rules,
    IReadOnlyList<string> Agreements)
{
    /// <summary>Returns the time left until <see cref="Due"/>; negative once overdue.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The time left.</returns>
    public TimeSpan Remaining(DateTimeOffset now) => Due - now;
}
