namespace Concordat.Compliance;

/// <summary>Where a checklist item stands.</summary>
// CAUTION: persisted/public format; see docs/formats/compliance-checklist.md
public enum ComplianceStatus
{
    /// <summary>An artifact in force, or the log, satisfies it.</summary>
    Satisfied,

    /// <summary>Nothing satisfies it.</summary>
    Missing,

    /// <summary>Only artifacts that have expired (or are not yet registered at the instant of the check) would satisfy it.</summary>
    Expired,

    /// <summary>The log evidence it asks for was checked and does not hold (the log does not verify).</summary>
    Failed,

    /// <summary>It does not concern this agreement (consent enforcement when no dataset carries a consent basis).</summary>
    NotApplicable,
}
