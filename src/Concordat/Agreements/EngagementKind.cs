namespace Concordat.Agreements;

/// <summary>
/// The kind of engagement the agreement governs; lint rules depend on it.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum EngagementKind
{
    /// <summary>Sharing data for use by the recipient.</summary>
    DataSharing,

    /// <summary>A technology partnership, typically with API and service-level terms.</summary>
    Technology,

    /// <summary>Joint research and development, with publication and IP terms.</summary>
    ResearchAndDevelopment,

    /// <summary>A channel or reseller partnership.</summary>
    Channel,

    /// <summary>A joint venture.</summary>
    JointVenture,
}
