namespace Concordat.Agreements;

/// <summary>
/// The id of a clause (a grant or a prohibition), the name reasons and decisions cite.
/// </summary>
/// <param name="Value">The id as written in the agreement.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public readonly record struct ClauseId(string Value)
{
    /// <summary>Returns the id as written.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
