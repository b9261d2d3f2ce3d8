using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
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
    /// Decides whether <paramref name="identity"/> may hold a share token for <paramref name="purpose"/> and
    /// <paramref name="jurisdiction"/>, logs the decision, and on a permit issues the token, lasting
    /// <see cref="GatewayOptions.MaxTokenLifetime"/>, and logs its issuance naming that decision.
    /// </summary>
    /// <returns>The bearer value and the token; a refusal when no table of the recipient's shares is permitted; or, when the log pushes back, the 503 to answer (the token is then revoked unseen).</returns>
    /// <remarks>
    /// The decision is that of reading rows of the first table, by share and table name, that the agreements in force
    /// permit to the identity for the purpose and jurisdiction (the first table's denial when none is): a token that
    /// could read nothing is not issued. It does not stand for later reads: every table query made with the token is
    /// decided and logged on its own.
    /// </remarks>
    public static async Task<ShareTokenIssue> IssueAsync(DeltaSharingServices services, IdentityRecord identity, PurposeId purpose, Jurisdiction jurisdiction)
    {
        var (context, journal) = (services.Context, services.Journal);
        var now = journal.Now;
        DecisionRequest RequestFor(DatasetId dataset) => new(identity.Recipient, DataAction.ReadRows, dataset, purpose, jurisdiction, null, now, identity.Role);
        var tables = DeltaSharingApi.SharesOf(services.Policy, identity.Recipient, now).SelectMany(a => DeltaSharingApi.TablesOf(a, identity.Recipient)).ToList();
        if (tables.Count == 0)
        {
            var none = $"no agreement in force shares a table with recipient `{identity.Recipient}`";
            var logged = await journal.RefuseAsync(context, ProblemCode.Denied, none, context.Caller()).ConfigureAwait(false);
            return new ShareTokenIssue(string.Empty, null, null, none, logged.StatusCode == StatusCodes.Status503ServiceUnavailable ? logged : null);
        }

        // The index is asked without side effects to find the table; the decision logged is then made once, as every other.
        var snapshot = services.Policy.Current;
        var chosen = tables.FirstOrDefault(t => snapshot.Index.Decide(RequestFor(t)).IsPermit, tables[0]);
        var decision = services.Decisions.DecideAccess(RequestFor(chosen));
        if (await journal.AppendAsync(context, decision.ToEntry(identity.ClientId), decision.Id).ConfigureAwait(false) is { } busy)
        {
            return new ShareTokenIssue(string.Empty, null, decision.Id, null, busy);
        }

        if (!decision.IsPermit)
        {
            return new ShareTokenIssue(string.Empty, null, decision.Id, string.Join("; ", decision.ReasonsFor(identity.Recipient)), null);
        }

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
            decision.Id,
            "{}",
            now,
            now + GatewayOptions.MaxTokenLifetime,
            null,
            null,
            DataAction.ReadRows);
        await services.Store.AddTokenAsync(token, context.RequestAborted).ConfigureAwait(false);

        // Invariant: the token works only once its issuance is logged; if the log pushes back, it is revoked unseen.
        var issued = new TokenIssuedEntry(now, token.Id.Value, decision.Id.Value, identity.Recipient.Value, identity.ClientId.Value, token.ExpiresAt);
        if (await journal.AppendAsync(context, issued, decision.Id).ConfigureAwait(false) is { } pushback)
        {
            await services.Store.RevokeTokenAsync(token.Id, now, CancellationToken.None).ConfigureAwait(false);
            return new ShareTokenIssue(bearer, token, decision.Id, null, pushback);
        }

        return new ShareTokenIssue(bearer, token, decision.Id, null, null);
    }
}

/// <summary>What issuing a share token came to.</summary>
/// <param name="Bearer">The bearer value (empty unless issued).</param>
/// <param name="Token">The token issued, or <see langword="null"/>.</param>
/// <param name="Decision">The decision logged for the issuance, or <see langword="null"/> when there was nothing to decide.</param>
/// <param name="Refusal">Why no token was issued (the decision's reasons about the caller), or <see langword="null"/>.</param>
/// <param name="Pushback">The answer to give when the log pushed back, or <see langword="null"/>.</param>
internal sealed record ShareTokenIssue(string Bearer, TokenRecord? Token, DecisionId? Decision, string? Refusal, ProblemHttpResult? Pushback);
