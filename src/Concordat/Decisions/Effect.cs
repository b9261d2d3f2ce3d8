namespace Concordat.Decisions;

/// <summary>
/// The answer of a decision.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public enum Effect
{
    /// <summary>The request is refused; the default whenever nothing permits it.</summary>
    Deny,

    /// <summary>The request is allowed, under the decision's obligations.</summary>
    Permit,
}
