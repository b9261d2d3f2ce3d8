using Concordat.Agreements;
using Concordat.Store.Registry;

namespace Concordat.Store.Revocation;

/// <summary>
/// A seal, an unseal, a token revocation or an agreement change that the store committed, as an
/// <see cref="IRevocationFeed"/> delivers it: ids only, never a secret, a token hash or a reason text.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Recipient">The recipient concerned; null for <see cref="RevocationKind.AgreementChanged"/>.</param>
/// <param name="Token">The revoked token, for <see cref="RevocationKind.TokenRevoked"/>; otherwise null.</param>
/// <param name="Agreement">The agreement changed, for <see cref="RevocationKind.AgreementChanged"/>; otherwise null.</param>
public sealed record RevocationNotice(RevocationKind Kind, PartyId? Recipient, TokenId? Token, AgreementId? Agreement = null);
