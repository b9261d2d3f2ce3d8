namespace Concordat.Agreements;

/// <summary>
/// Who owns intellectual property created under the agreement.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum ForegroundOwnership
{
    /// <summary>Owned jointly by the parties.</summary>
    Joint,

    /// <summary>Owned by the party that created it.</summary>
    Discoverer,

    /// <summary>Owned by one named party.</summary>
    Party,
}
