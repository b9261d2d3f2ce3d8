namespace Concordat.Incidents.Playbook;

/// <summary>One line of a postmortem's timeline, generated from one log entry.</summary>
/// <param name="Index">The entry's index in the log, so that any party holding the log can check the line.</param>
/// <param name="At">The entry's time.</param>
/// <param name="What">The entry's type and the fields that say what happened.</param>
public sealed record TimelineEvent(long Index, DateTimeOffset At, string What);
