namespace Concordat.Store.Registry;

/// <summary>
/// The client id of a service identity, such as <c>cid_3k9x...</c>; public, unlike the identity's secret.
/// </summary>
/// <param name="Value">The client id.</param>
// CAUTION: persisted/public format; see docs/api.md
public readonly record struct IdentityId(string Value)
{
    /// <summary>Returns the client id.</summary>
    /// <returns>The client id.</returns>
    public override string ToString() => Value;
}
