namespace Concordat.Agreements;

/// <summary>
/// What happens on an incident.
/// </summary>
/// <param name="AutoSealAlerts">Alert kinds that seal a recipient automatically.</param>
/// <param name="VulnerabilityAcknowledgeHours">Hours to acknowledge a reported vulnerability.</param>
/// <param name="VulnerabilityResponseHours">Hours to respond to a reported vulnerability.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record IncidentTerms(IReadOnlyList<string> AutoSealAlerts, int? VulnerabilityAcknowledgeHours, int? VulnerabilityResponseHours)
{
    /// <summary>Gets the incident service levels: acknowledge, contain and resolve within a duration of detection.</summary>
    /// <value>Null when the agreement sets none.</value>
    public IncidentServiceLevels? ServiceLevels { get; init; }
}
