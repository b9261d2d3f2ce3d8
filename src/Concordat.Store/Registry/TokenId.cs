namespace Concordat.Store.Registry;

/// <summary>
/// The public handle of a token, such as <c>tok_...</c>: names the token for revocation and in the log, and is
/// never a credential (the bearer value is a different random string, stored only as a hash).
/// </summary>
/// <param name="Value">The token id.</param>
// CAUTION: persisted/public format; see docs/api.md
public readonly record struct TokenId(string Value)
{
    /// <summary>Returns the token id.</summary>
    /// <returns>The token id.</returns>
    public override string ToString() => Value;
}
