namespace Concordat.Agreements;

/// <summary>
/// The id of a purpose in an agreement's purpose vocabulary, such as <c>training</c> or <c>evaluation</c>.
/// </summary>
/// <param name="Value">The id as written in the agreement.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public readonly record struct PurposeId(string Value)
{
    /// <summary>Returns the id as written.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
