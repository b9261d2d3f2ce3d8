using Concordat.Agreements;

namespace Concordat.Store.Registry;

/// <summary>
/// A seal on a recipient: every token and secret revoked at once, its grants suspended until an explicit unseal.
/// </summary>
/// <param name="Recipient">The sealed recipient.</param>
/// <param name="SealedAt">When it was sealed.</param>
/// <param name="Reason">Why, as the operator wrote it.</param>
/// <param name="TokensRevoked">How many live tokens the seal revoked.</param>
/// <param name="IdentitiesRevoked">How many identities the seal revoked.</param>
/// <param name="UnsealedAt">When it was unsealed, when it was.</param>
public sealed record SealRecord(
    PartyId Recipient,
    DateTimeOffset SealedAt,
    string Reason,
    int TokensRevoked,
    int IdentitiesRevoked,
    DateTimeOffset? UnsealedAt);
