using Concordat.Agreements;

namespace Concordat.Store.Registry;

/// <summary>
/// A party known to the gateway.
/// </summary>
/// <param name="Id">The party id, as agreements name it.</param>
/// <param name="LegalName">The legal name.</param>
/// <param name="RegisteredAt">When the party was first registered.</param>
public sealed record PartyRecord(PartyId Id, string LegalName, DateTimeOffset RegisteredAt);
