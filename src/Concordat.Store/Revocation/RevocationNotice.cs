using Concordat.Agreements;
using Concordat.Store.Registry;

namespace Concordat.Store.Revocation;

/// <summary>
/// A seal, an unseal or a token revocation that the store committed, as an <see cref="IRevocationFeed"/> delivers it:
/// ids only, never a secret, a token hash or a reason text.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Recipient">The recipient concerned.</param>
/// <param name="Token">The revoked token, for <see cref="RevocationKind.TokenRevoked"/>; otherwise null.</param>
public sealed record RevocationNotice(RevocationKind Kind, PartyId Recipient, TokenId? Token);
