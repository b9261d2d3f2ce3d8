using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Store.Registry;

/// <summary>
/// An issued token: what it is bound to, and the SHA-256 of its bearer value (the value itself is never stored).
/// </summary>
/// <param name="Id">The public token id.</param>
/// <param name="Hash">The SHA-256 of the bearer value.</param>
/// <param name="ClientId">The identity it was issued to.</param>
/// <param name="Recipient">The recipient party.</param>
/// <param name="Agreement">The agreement whose decision permitted it.</param>
/// <param name="AgreementDigest">The digest of the agreement version that was in force.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Purpose">The purpose.</param>
/// <param name="Jurisdiction">The processing jurisdiction.</param>
/// <param name="DecisionId">The id of the permit decision it carries out (the event, not the record's digest).</param>
/// <param name="Obligations">The decision's obligations, as the JSON the decision record holds.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="RevokedAt">When it was revoked, when it was.</param>
/// <param name="Subprocessor">The subprocessor the decision permitted processing by, when the request named one.</param>
/// <param name="Action">
/// The action the decision permitted (a token works on that action's routes only); null for a token stored before
/// tokens recorded it, which is read as <see cref="DataAction.ReadRows"/>, the default a token request had then.
/// </param>
public sealed record TokenRecord(
    TokenId Id,
    ReadOnlyMemory<byte> Hash,
    IdentityId ClientId,
    PartyId Recipient,
    AgreementId Agreement,
    Sha256Digest AgreementDigest,
    DatasetId Dataset,
    PurposeId Purpose,
    Jurisdiction Jurisdiction,
    DecisionId DecisionId,
    string Obligations,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    PartyId? Subprocessor,
    DataAction? Action = null)
{
    /// <summary>The action the token was issued for: <see cref="Action"/>, or read-rows for a token stored without one.</summary>
    public DataAction IssuedFor => Action ?? DataAction.ReadRows;
}
