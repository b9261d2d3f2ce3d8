namespace Concordat.Decisions;

/// <summary>
/// The id of a decision record: 32 lowercase hex digits, the first 128 bits of the SHA-256 of the record's
/// canonical JSON without its id, so the id names the record's content.
/// </summary>
/// <param name="Value">The 32 hex digits.</param>
// CAUTION: persisted/public format; see docs/formats/decision-record.md
public readonly record struct DecisionId(string Value)
{
    /// <summary>Returns the id.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
