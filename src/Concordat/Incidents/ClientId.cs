namespace Concordat.Incidents;

/// <summary>
/// The client id of a recipient's service identity, as the gateway's log entries write it (<c>clientId</c>).
/// </summary>
/// <param name="Value">The client id.</param>
// CAUTION: persisted/public format; see docs/formats/gateway-entries.md
public readonly record struct ClientId(string Value)
{
    /// <summary>Returns the id as written.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
