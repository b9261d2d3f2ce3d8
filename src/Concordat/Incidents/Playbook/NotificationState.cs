namespace Concordat.Incidents.Playbook;

/// <summary>Where one notification clock of an incident stands.</summary>
/// <param name="Clock">The clock.</param>
/// <param name="GivenAt">When the notification was given, or null while it is not.</param>
/// <param name="IsOverdue">Whether the deadline has passed on an open incident without the notification given.</param>
public sealed record NotificationState(NotificationClock Clock, DateTimeOffset? GivenAt, bool IsOverdue);
