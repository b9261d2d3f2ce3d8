namespace Concordat.Agreements;

/// <summary>
/// The provider's service levels for an incident under the agreement (<c>incidents.serviceLevels</c>): how long after
/// detection it is acknowledged, contained and resolved. Each clock starts at the incident's detection.
/// </summary>
/// <param name="Acknowledge">Within how long the incident is acknowledged (its first act).</param>
/// <param name="Contain">Within how long it is contained (a seal, or its close).</param>
/// <param name="Resolve">Within how long it is resolved (its close).</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record IncidentServiceLevels(TimeSpan? Acknowledge, TimeSpan? Contain, TimeSpan? Resolve);
