using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>
/// Share tokens: tokens bound to a recipient, a purpose and a jurisdiction but to no dataset or agreement, for the
/// Delta Sharing server, where one profile reads every table of its shares and every table query is decided afresh.
/// </summary>
/// <remarks>
/// A share token is stored as a token whose dataset and agreement are <c>*</c>, which no id can be (ids are letters,
/// digits, <c>.</c>, <c>_</c> and <c>-</c>). Security: the rows endpoint therefore refuses it (GW6007, another
/// dataset), and the Delta Sharing routes take nothing else. Expiry, revocation and seals are checked by
/// <c>CallerResolver</c> as for every token.
/// </remarks>
internal static class ShareTokens
{
    /// <summary>The dataset a share token names: none.</summary>
    public static readonly DatasetId AnyDataset = new("*");

    /// <summary>The agreement a share token names: none.</summary>
    public static readonly AgreementId AnyAgreement = new("*");

    /// <summary>The agreement digest a share token holds: a fixed value no agreement has.</summary>
    public static readonly Sha256Digest NoAgreementDigest = Sha256Digest.Compute("concordat/share-token/v1"u8);

    /// <summary>Returns whether <paramref name="token"/> is a share token.</summary>
    public static bool IsShareToken(TokenRecord token) => token.Dataset == AnyDataset && token.Agreement == AnyAgreement;

    /// <summary>
    /// Reads an RFC 6749 §3.3 scope of the form <c>purpose:P jurisdiction:J</c> (space-separated, in any order).
    /// </summary>
    public static bool TryReadScope(string? scope, out PurposeId purpose, out Jurisdiction jurisdiction)
    {
        purpose = default;
        jurisdiction = default;
        string? p = null;
        string? j = null;
        foreach (var item in (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.StartsWith("purpose:", StringComparison.Ordinal) && p is null)
            {
                p = item["purpose:".Length..];
            }
            else if (item.StartsWith("jurisdiction:", StringComparison.Ordinal) && j is null)
            {
                j = item["jurisdiction:".Length..];
            }
            else
            {
                return false;
            }
        }

        if (!Security.Ids.IsValid(p) || !Security.Ids.IsValid(j))
        {
            return false;
        }

        purpose = new PurposeId(p!);
        jurisdiction = new Jurisdiction(j!);
        return true;
    }

    /// <summary>
    /// Issues a share token to <paramref name="identity"/> for <paramref name="purpose"/> and
    /// <paramref name="jurisdiction"/>, lasting <see cref="GatewayOptions.MaxTokenLifetime"/>, and logs its issuance.
    /// </summary>
    /// <returns>The bearer value and the token; or, when the log pushes back, the 503 to answer (the token is then revoked unseen).</returns>
    /// <remarks>
    /// A share token carries no decision id: issuing it decides nothing, since it names no dataset; every table query
    /// made with it is decided and logged on its own.
    /// </remarks>
    public static async Task<(string Bearer, TokenRecord Token, ProblemHttpResult? Pushback)> IssueAsync(DeltaSharingServices services, IdentityRecord identity, PurposeId purpose, Jurisdiction jurisdiction)
    {
        var (context, journal) = (services.Context, services.Journal);
        var now = journal.Now;
        var bearer = Secrets.TokenPrefix + Secrets.NewRandomText();
        var token = new TokenRecord(
            new TokenId(Secrets.NewId(Secrets.TokenIdPrefix)),
            Secrets.Hash(bearer),
            identity.ClientId,
            identity.Recipient,
            AnyAgreement,
            NoAgreementDigest,
            AnyDataset,
            purpose,
            jurisdiction,
            new DecisionId(string.Empty),
            "{}",
            now,
            now + GatewayOptions.MaxTokenLifetime,
            null,
            null,
            DataAction.ReadRows);
        await services.Store.AddTokenAsync(token, context.RequestAborted).ConfigureAwait(false);

        // Invariant: the token works only once its issuance is logged; if the log pushes back, it is revoked unseen.
        var issued = new TokenIssuedEntry(now, token.Id.Value, string.Empty, identity.Recipient.Value, identity.ClientId.Value, token.ExpiresAt);
        if (await journal.AppendAsync(context, issued).ConfigureAwait(false) is { } pushback)
        {
            await services.Store.RevokeTokenAsync(token.Id, now, CancellationToken.None).ConfigureAwait(false);
            return (bearer, token, pushback);
        }

        return (bearer, token, null);
    }
}
