namespace Concordat.Retention;

/// <summary>
/// Where an egress stands against its agreement's retention terms.
/// </summary>
// CAUTION: persisted/public format (`retention status --json`); see docs/design/retention.md
public enum RetentionState
{
    /// <summary>The recipient may still hold the data, or must delete it but its attestation is not yet late.</summary>
    Due,
    /// <summary>The recipient attested deletion.</summary>
    Done,
    /// <summary>The attestation deadline passed without an attestation.</summary>
    Overdue,
}
