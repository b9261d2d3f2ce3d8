namespace Concordat.Incidents.Playbook;

/// <summary>One act of the playbook on an incident.</summary>
/// <param name="Kind">What was done.</param>
/// <param name="At">When it was done (for a notification: when it was given).</param>
/// <param name="Actor">Who did it.</param>
/// <param name="Detail">What was done, in words (the remediation, the snapshot's digest, the recipients sealed).</param>
/// <param name="Whom">For a notification: the whom of its clock (<c>authority:DE</c>, <c>party:clinic</c>).</param>
public sealed record IncidentAct(IncidentActKind Kind, DateTimeOffset At, string Actor, string? Detail = null, string? Whom = null);
