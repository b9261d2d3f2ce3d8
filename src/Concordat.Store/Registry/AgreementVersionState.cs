namespace Concordat.Store.Registry;

/// <summary>
/// Where a stored agreement version stands.
/// </summary>
// CAUTION: persisted/public format; see docs/api.md
public enum AgreementVersionState
{
    /// <summary>Uploaded but not enforced: not valid or not fully signed yet.</summary>
    Pending,

    /// <summary>Valid, fully signed and enforced; at most one version of an agreement is active.</summary>
    Active,

    /// <summary>Replaced by a later active version; no longer enforced.</summary>
    Superseded,
}
