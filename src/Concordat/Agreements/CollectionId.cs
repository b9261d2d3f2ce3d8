namespace Concordat.Agreements;

/// <summary>
/// The id of a collection of datasets, such as <c>community-corpus</c>.
/// </summary>
/// <param name="Value">The id as written in the agreement.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public readonly record struct CollectionId(string Value)
{
    /// <summary>Returns the id as written.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
