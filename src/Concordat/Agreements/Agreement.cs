namespace Concordat.Agreements;

/// <summary>
/// A data-use agreement: the typed document, as read and validated.
/// </summary>
/// <param name="FormatVersion">The format version written as <c>concordat:</c>.</param>
/// <param name="Id">The agreement id, stable across versions.</param>
/// <param name="Version">The version; a new version supersedes the old one once in force.</param>
/// <param name="Title">The title.</param>
/// <param name="Partnership">The partnership model.</param>
/// <param name="Engagement">The engagement kind.</param>
/// <param name="Parties">The parties.</param>
/// <param name="Approvers">Required approvers besides the parties.</param>
/// <param name="Effective">When the agreement is in effect.</param>
/// <param name="Termination">Termination terms.</param>
/// <param name="Purposes">The purpose vocabulary.</param>
/// <param name="Datasets">The datasets.</param>
/// <param name="Grants">The grants.</param>
/// <param name="Prohibitions">The prohibitions.</param>
/// <param name="Retention">Retention terms.</param>
/// <param name="BreachNotificationHours">Hours within which a breach must be notified.</param>
/// <param name="Audit">Audit rights.</param>
/// <param name="Publication">Publication rights and attribution.</param>
/// <param name="IntellectualProperty">IP terms.</param>
/// <param name="LiabilityCap">The liability cap (informational).</param>
/// <param name="Compliance">The jurisdictions and sectors whose rules apply.</param>
/// <param name="Artifacts">Documents referenced by digest.</param>
/// <param name="Incidents">Incident terms.</param>
/// <param name="ServiceLevels">Service levels.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record Agreement(int FormatVersion, AgreementId Id, int Version, string Title, PartnershipModel Partnership, EngagementKind Engagement, IReadOnlyList<Party> Parties, IReadOnlyList<Approver> Approvers, TimeWindow Effective, TerminationTerms? Termination, IReadOnlyList<PurposeDefinition> Purposes, IReadOnlyList<DatasetDefinition> Datasets, IReadOnlyList<Grant> Grants, IReadOnlyList<Prohibition> Prohibitions, RetentionTerms? Retention, int? BreachNotificationHours, AuditTerms? Audit, PublicationTerms? Publication, IpTerms? IntellectualProperty, string? LiabilityCap, ComplianceScope? Compliance, IReadOnlyList<ArtifactReference> Artifacts, IncidentTerms? Incidents, ServiceLevels? ServiceLevels)
{
    /// <summary>Gets the declared custom attributes of datasets and parties.</summary>
    public IReadOnlyList<AttributeDeclaration> Attributes { get; init; } = [];

    /// <summary>Gets the named collections of datasets.</summary>
    public IReadOnlyList<CollectionDefinition> Collections { get; init; } = [];

    /// <summary>Gets the named groups of parties.</summary>
    public IReadOnlyList<GroupDefinition> Groups { get; init; } = [];

    /// <summary>Gets the due-diligence requirements: the records parties must hold for the agreement to come into force.</summary>
    public IReadOnlyList<DiligenceRequirement> Diligence { get; init; } = [];
}
