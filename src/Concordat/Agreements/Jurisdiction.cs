namespace Concordat.Agreements;

/// <summary>
/// A jurisdiction code: an ISO 3166-1 alpha-2 country code (<c>GB</c>, <c>DE</c>) or a group such as <c>EU</c> or <c>EEA</c>.
/// </summary>
/// <param name="Value">The id as written in the agreement.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public readonly record struct Jurisdiction(string Value)
{
    /// <summary>Returns the id as written.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
