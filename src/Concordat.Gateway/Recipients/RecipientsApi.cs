using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.DeltaSharing;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Recipients;

/// <summary>
/// The operator's acts on recipients: service identities, seal and unseal, and the access review.
/// </summary>
internal static class RecipientsApi
{
    public static IEndpointRouteBuilder MapRecipientsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapOperatorGroup("/v1", "Recipients");
        group.MapPost("/recipients/{recipientId}/identities", CreateIdentityAsync).WithName("CreateIdentity").WithSummary("Create a service identity; the secret is shown once")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status409Conflict, Status413PayloadTooLarge, Status415UnsupportedMediaType, Status422UnprocessableEntity);
        group.MapGet("/recipients/{recipientId}/identities", ListIdentitiesAsync).WithName("ListIdentities").WithSummary("List a recipient's service identities, live and revoked")
            .ProducesProblems(Status400BadRequest);
        group.MapDelete("/recipients/{recipientId}/identities/{clientId}", RevokeIdentityAsync).WithName("RevokeIdentity").WithSummary("Revoke a service identity and every token issued to it")
            .ProducesProblems(Status400BadRequest, Status404NotFound);
        group.MapPost("/recipients/{recipientId}/seal", SealAsync).WithName("SealRecipient").WithSummary("Revoke every token and secret of a recipient at once and stop its streams")
            .ProducesProblems(Status400BadRequest, Status404NotFound, Status413PayloadTooLarge, Status415UnsupportedMediaType);
        group.MapPost("/recipients/{recipientId}/unseal", UnsealAsync).WithName("UnsealRecipient").WithSummary("Lift a seal, explicitly; revoked credentials stay revoked")
            .ProducesProblems(Status400BadRequest, Status413PayloadTooLarge, Status415UnsupportedMediaType);
        group.MapGet("/access-review", ReviewAccessAsync).WithName("ReviewAccess").WithSummary("Who can do what right now, and why");
        return app;
    }

    internal static async Task<Results<Created<IdentityCreated>, ProblemHttpResult>> CreateIdentityAsync(
        string recipientId, IdentityRequest request, HttpContext context, IRegistryStore store, PolicyState policy, GatewayJournal journal, ILogger<IdentityCreated> logger)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(recipientId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the recipient id is not valid", caller).ConfigureAwait(false);
        }

        if (!ApiNames.TryParseRole(request.Role, out var role))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "role must be `ingestion`, `training`, `deployment` or `analysis`", caller).ConfigureAwait(false);
        }

        var recipient = new PartyId(recipientId);
        if (!await IsKnownPartyAsync(store, recipient, context.RequestAborted).ConfigureAwait(false))
        {
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"no party `{recipientId}`: upload an agreement that names it first", caller).ConfigureAwait(false);
        }

        // Security: an identity acts for a recipient; one for the provider or a processor would hold credentials no grant is for.
        if (!policy.Agreements.Any(a => a.Agreement.Parties.Any(p => p.Id == recipient && p.Roles.Contains(PartyRole.Recipient))))
        {
            return await journal.RefuseAsync(context, ProblemCode.NotARecipient, $"`{recipientId}` is not a recipient of any agreement in force: identities are for recipients", caller).ConfigureAwait(false);
        }

        var secret = Secrets.ClientSecretPrefix + Secrets.NewRandomText();
        var identity = new IdentityRecord(new IdentityId(Secrets.NewId(Secrets.ClientIdPrefix)), recipient, role, Secrets.Hash(secret), journal.Now, null);
        if (!await store.AddIdentityAsync(identity, context.RequestAborted).ConfigureAwait(false))
        {
            return await journal.RefuseAsync(context, ProblemCode.SealedRecipientIdentity, $"recipient `{recipientId}` is sealed: lift the seal before creating an identity", caller).ConfigureAwait(false);
        }
        if (await journal.AppendAsync(context, new IdentityEntry(identity.CreatedAt, identity.ClientId.Value, recipientId, DecisionNames.ToName(role))).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        var roleName = DecisionNames.ToName(role);
        LogMessages.IdentityCreated(logger, identity.ClientId.Value, recipientId, roleName);
        return TypedResults.Created($"/v1/recipients/{recipientId}/identities/{identity.ClientId}", new IdentityCreated(identity.ClientId.Value, secret, recipientId, roleName));
    }

    internal static async Task<Results<Ok<IReadOnlyList<IdentitySummary>>, ProblemHttpResult>> ListIdentitiesAsync(string recipientId, HttpContext context, IRegistryStore store, GatewayJournal journal)
    {
        if (!Ids.IsValid(recipientId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the recipient id is not valid", context.Caller()).ConfigureAwait(false);
        }

        var identities = await store.ListIdentitiesAsync(context.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<IdentitySummary> list = [.. identities.Where(i => i.Recipient.Value == recipientId).Select(i => new IdentitySummary(i.ClientId.Value, i.Recipient.Value, DecisionNames.ToName(i.Role), i.CreatedAt, i.RevokedAt))];
        return TypedResults.Ok(list);
    }

    internal static async Task<Results<Ok<IdentityRevoked>, ProblemHttpResult>> RevokeIdentityAsync(
        string recipientId, string clientId, HttpContext context, IRegistryStore store, StreamRegistry streams, GatewayJournal journal, ILogger<IdentityRevoked> logger)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(recipientId) || !Ids.IsValid(clientId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the recipient id or client id is not valid", caller).ConfigureAwait(false);
        }

        var identity = await store.FindIdentityAsync(new IdentityId(clientId), context.RequestAborted).ConfigureAwait(false);
        if (identity is null || identity.Recipient.Value != recipientId)
        {
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"no identity `{clientId}` of recipient `{recipientId}`", caller).ConfigureAwait(false);
        }

        var tokens = await store.RevokeIdentityAsync(identity.ClientId, journal.Now, CancellationToken.None).ConfigureAwait(false);
        if (tokens is null)
        {
            // Revoking twice changes nothing and logs nothing new.
            return TypedResults.Ok(new IdentityRevoked(clientId, recipientId, identity.RevokedAt ?? journal.Now, 0));
        }

        // Invariant: the streams opened with its tokens stop here at once; on PostgreSQL every other replica stops its
        // own on the store's notices.
        foreach (var token in tokens)
        {
            streams.Revoke(identity.Recipient, token);
        }

        var revoked = new IdentityRevoked(clientId, recipientId, journal.Now, tokens.Count);
        if (await journal.AppendAsync(context, new IdentityRevokedEntry(revoked.RevokedAt, clientId, recipientId, tokens.Count)).ConfigureAwait(false) is { } busy)
        {
            // The revocation stands even so: revoking fails safe; the client retries to get the entry logged.
            return busy;
        }

        LogMessages.IdentityRevoked(logger, clientId, recipientId, tokens.Count);
        return TypedResults.Ok(revoked);
    }

    internal static async Task<Results<Ok<SealResponse>, ProblemHttpResult>> SealAsync(
        string recipientId, SealRequest? request, HttpContext context, IRegistryStore store, RecipientSealer sealer, GatewayJournal journal)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(recipientId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the recipient id is not valid", caller).ConfigureAwait(false);
        }

        var recipient = new PartyId(recipientId);
        if (!await IsKnownPartyAsync(store, recipient, context.RequestAborted).ConfigureAwait(false))
        {
            // A typo during an incident must not look like a seal: refused (and logged as a refusal), not sealed.
            return await journal.RefuseAsync(context, ProblemCode.NotFound, $"no party `{recipientId}`: nothing was sealed; check the id", caller).ConfigureAwait(false);
        }

        var reason = request?.Reason ?? "sealed by the operator";
        var outcome = await sealer.SealAsync(recipient, reason, null, entry => journal.AppendAsync(context, entry)).ConfigureAwait(false);
        if (outcome.Busy is { } busy)
        {
            // The seal stands: it is enforced already; only its entry waits for the client's retry.
            return busy;
        }

        var seal = outcome.Act;
        return TypedResults.Ok(new SealResponse(recipientId, seal.Seal.SealedAt, reason, seal.TokensRevoked, seal.IdentitiesRevoked, outcome.StreamsStopped, outcome.EnforcementMilliseconds, seal.WasSealed));
    }

    internal static async Task<Results<Ok<UnsealResponse>, ProblemHttpResult>> UnsealAsync(
        string recipientId, SealRequest? request, HttpContext context, IRegistryStore store, StreamRegistry streams, GatewayJournal journal, ILogger<SealResponse> logger)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(recipientId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the recipient id is not valid", caller).ConfigureAwait(false);
        }

        var recipient = new PartyId(recipientId);
        var reason = request?.Reason ?? "unsealed by the operator";

        // Invariant: the unseal is logged before it takes effect, so no access can happen under an unlogged unseal.
        if (await journal.AppendAsync(context, new UnsealEntry(journal.Now, recipientId, reason)).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        var lifted = await store.UnsealAsync(recipient, journal.Now, context.RequestAborted).ConfigureAwait(false);
        streams.Unseal(recipient);
        LogMessages.Unsealed(logger, recipientId);
        return TypedResults.Ok(new UnsealResponse(recipientId, lifted, "revoked tokens and identities stay revoked: create a new identity"));
    }

    private static async Task<bool> IsKnownPartyAsync(IRegistryStore store, PartyId party, CancellationToken cancellationToken) =>
        (await store.ListPartiesAsync(cancellationToken).ConfigureAwait(false)).Any(p => p.Id == party);

    internal static async Task<Ok<AccessReview>> ReviewAccessAsync(HttpContext context, IRegistryStore store, PolicyState policy, GatewayJournal journal)
    {
        var now = journal.Now;
        var identities = await store.ListIdentitiesAsync(context.RequestAborted).ConfigureAwait(false);
        var tokens = await store.ListLiveTokensAsync(now, context.RequestAborted).ConfigureAwait(false);
        var entries = new List<AccessReviewEntry>();
        foreach (var identity in identities.Where(i => i.RevokedAt is null))
        {
            var seal = await store.FindSealAsync(identity.Recipient, context.RequestAborted).ConfigureAwait(false);
            var grants = new List<AccessReviewGrant>();
            foreach (var active in policy.Agreements)
            {
                foreach (var grant in active.Agreement.Grants.Where(g => g.Recipient == identity.Recipient))
                {
                    var actions = grant.Actions.Where(a => IdentityRoles.Allows(identity.Role, a)).Select(ApiNames.Name).ToList();
                    var window = grant.Window ?? active.Agreement.Effective;
                    var status = actions.Count == 0 ? "role-excludes" : seal is not null ? "sealed" : !window.Contains(now) ? "outside-window" : "in-force";
                    grants.Add(new AccessReviewGrant(
                        active.Agreement.Id.Value,
                        active.Version,
                        active.Digest.ToString(),
                        grant.Id.Value,
                        grant.Datasets.Select(d => d.Value).ToList(),
                        grant.Purposes.Select(p => p.Value).ToList(),
                        actions,
                        grant.Jurisdictions.Select(j => j.Value).ToList(),
                        window.From,
                        window.Until,
                        status == "in-force",
                        grant.Actions.Select(ApiNames.Name).ToList(),
                        status));
                }
            }

            // Invariant: a token issued under a version no longer in force is refused (GW6009), so it is not live; a share
            // token names no agreement, and is live until it expires or is revoked.
            var live = tokens.Where(t => t.ClientId == identity.ClientId && (ShareTokens.IsShareToken(t) || policy.Agreements.Any(a => a.Digest == t.AgreementDigest)))
                .Select(ReviewToken)
                .ToList();
            entries.Add(new AccessReviewEntry(identity.ClientId.Value, identity.Recipient.Value, DecisionNames.ToName(identity.Role), IdentityRoles.ActionsOf(identity.Role).Select(ApiNames.Name).ToList(), seal is not null, grants, live));
        }

        return TypedResults.Ok(new AccessReview(now, entries));
    }

    private static AccessReviewToken ReviewToken(TokenRecord token) => ShareTokens.IsShareToken(token)
        ? new AccessReviewToken(token.Id.Value, null, token.Purpose.Value, token.ExpiresAt, token.DecisionId.Value.Length == 0 ? null : token.DecisionId.Value, "share", token.Jurisdiction.Value)
        : new AccessReviewToken(token.Id.Value, token.Dataset.Value, token.Purpose.Value, token.ExpiresAt, token.DecisionId.Value, "dataset", token.Jurisdiction.Value);
}
