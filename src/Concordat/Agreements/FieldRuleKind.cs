namespace Concordat.Agreements;

/// <summary>
/// What the gateway does to a field before it leaves.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum FieldRuleKind
{
    /// <summary>The field leaves unchanged.</summary>
    Allow,

    /// <summary>The field is removed.</summary>
    Drop,

    /// <summary>The field is replaced by a mask, keeping at most a few trailing characters.</summary>
    Mask,

    /// <summary>The field is replaced by a keyed pseudonym, stable per recipient and dataset.</summary>
    Pseudonymise,

    /// <summary>The field is coarsened (dates to month or year, numbers to ranges, postcodes to a prefix).</summary>
    Generalise,
}
