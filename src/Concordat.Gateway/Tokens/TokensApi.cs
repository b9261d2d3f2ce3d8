using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Recipients;
using Concordat.Gateway.Security;
using Concordat.Store.Registry;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Tokens;

/// <summary>
/// <c>POST /v1/tokens</c> and <c>DELETE /v1/tokens/{tokenId}</c>.
/// </summary>
internal static class TokensApi
{
    public static IEndpointRouteBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapRecipientGroup("/v1/tokens", "Tokens");
        group.MapPost("/", IssueTokenAsync).WithName("IssueToken").WithSummary("Decide a request and, on permit, issue a short-lived scoped token")
            .ProducesProblems(Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status413PayloadTooLarge, Status415UnsupportedMediaType);
        group.MapDelete("/{tokenId}", RevokeTokenAsync).WithName("RevokeToken").WithSummary("Revoke one token (its holder or the operator)")
            .ProducesProblems(Status400BadRequest, Status401Unauthorized, Status404NotFound);
        return app;
    }

    internal static async Task<Results<Created<TokenResponse>, ProblemHttpResult>> IssueTokenAsync(
        TokenRequest request, HttpContext context, DecisionService decisions, IRegistryStore store, PolicyState policy, GatewayJournal journal, ILogger<TokenResponse> logger)
    {
        var caller = context.Caller();

        // Invariant: authentication refused revoked identities and sealed recipients before this handler.
        if (caller.Identity is not { } identity)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "authenticate with HTTP Basic: client id and secret", caller).ConfigureAwait(false);
        }

        if (!TryReadRequest(request, identity, policy, journal.Now, out var decisionRequest, out var error))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, error, caller).ConfigureAwait(false);
        }

        var decision = decisions.DecideAccess(decisionRequest);
        if (await journal.AppendAsync(context, decision.ToEntry(identity.ClientId), decision.Id).ConfigureAwait(false) is { } busy)
        {
            return busy;
        }

        if (!decision.IsPermit)
        {
            var reasons = decision.ReasonsFor(identity.Recipient);
            return Problem.Of(ProblemCode.Denied, string.Join("; ", reasons), decision.Id.Value, new Dictionary<string, object?> { ["reasons"] = reasons });
        }

        var now = journal.Now;
        var obligations = decision.Decision.Obligations;
        var lifetime = Lifetime(request.LifetimeSeconds, obligations.TokenLifetime);
        var bearer = Secrets.TokenPrefix + Secrets.NewRandomText();
        var token = new TokenRecord(
            new TokenId(Secrets.NewId(Secrets.TokenIdPrefix)),
            Secrets.Hash(bearer),
            identity.ClientId,
            identity.Recipient,
            decision.Agreement!.Agreement.Id,
            decision.Agreement.Digest,
            decisionRequest.Dataset,
            decisionRequest.Purpose,
            decisionRequest.Jurisdiction,
            decision.Id,
            DecisionJson.WriteObligations(obligations).ToJsonString(),
            now,
            now + lifetime,
            null,
            decisionRequest.Subprocessor,
            decisionRequest.Action);
        await store.AddTokenAsync(token, context.RequestAborted).ConfigureAwait(false);

        // Invariant: the token works only once its issuance is logged; if the log pushes back, it is revoked unseen.
        var issued = new TokenIssuedEntry(now, token.Id.Value, decision.Id.Value, identity.Recipient.Value, identity.ClientId.Value, token.ExpiresAt);
        if (await journal.AppendAsync(context, issued, decision.Id).ConfigureAwait(false) is { } pushback)
        {
            await store.RevokeTokenAsync(token.Id, now, CancellationToken.None).ConfigureAwait(false);
            return pushback;
        }

        LogMessages.TokenIssued(logger, token.Id.Value, identity.ClientId.Value, token.ExpiresAt);
        var response = new TokenResponse(bearer, token.Id.Value, "Bearer", token.ExpiresAt, (long)lifetime.TotalSeconds, decision.Id.Value, token.Agreement.Value, token.AgreementDigest.ToString(), decision.Clause?.Value ?? string.Empty);
        return TypedResults.Created($"/v1/tokens/{token.Id}", response);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(
        string tokenId, HttpContext context, IRegistryStore store, StreamRegistry streams, GatewayJournal journal, ILogger<TokenResponse> logger)
    {
        var caller = context.Caller();
        if (!Ids.IsValid(tokenId))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidId, "the token id is not valid", caller).ConfigureAwait(false);
        }

        var token = await store.FindTokenAsync(new TokenId(tokenId), context.RequestAborted).ConfigureAwait(false);

        // Security: only the operator or a holder of a token of the same recipient may revoke; others learn nothing.
        var allowed = caller.IsOperator || (caller.Token is not null && token is not null && caller.Token.Recipient == token.Recipient);
        if (!allowed || token is null)
        {
            var code = caller.IsOperator || caller.Token is not null ? ProblemCode.NotFound : ProblemCode.Unauthenticated;
            return await journal.RefuseAsync(context, code, $"no token `{tokenId}` that this caller may revoke", caller).ConfigureAwait(false);
        }

        if (await store.RevokeTokenAsync(token.Id, journal.Now, context.RequestAborted).ConfigureAwait(false))
        {
            // Invariant: the streams opened with the token stop here at once; on PostgreSQL every other replica stops its
            // own on the store's notice.
            streams.Revoke(token.Recipient, token.Id);
            var entry = new TokenRevokedEntry(journal.Now, token.Id.Value, token.Recipient.Value, caller.IsOperator ? "operator" : "holder");
            if (await journal.AppendAsync(context, entry).ConfigureAwait(false) is { } busy)
            {
                // The revocation stands even so: revoking fails safe; the client retries to get the entry logged.
                return busy;
            }

            LogMessages.TokenRevoked(logger, token.Id.Value);
        }

        return TypedResults.NoContent();
    }

    private static TimeSpan Lifetime(int? requestedSeconds, TimeSpan? agreementCap)
    {
        var lifetime = GatewayOptions.MaxTokenLifetime;
        if (agreementCap is { } cap && cap < lifetime)
        {
            lifetime = cap;
        }

        if (requestedSeconds is > 0 && TimeSpan.FromSeconds(requestedSeconds.Value) < lifetime)
        {
            lifetime = TimeSpan.FromSeconds(requestedSeconds.Value);
        }

        return lifetime;
    }

    private static bool TryReadRequest(TokenRequest request, IdentityRecord identity, PolicyState policy, DateTimeOffset now, out DecisionRequest decisionRequest, out string error)
    {
        decisionRequest = default;
        if (!Ids.IsValid(request.Dataset) || !Ids.IsValid(request.Purpose) || !Ids.IsValid(request.Jurisdiction))
        {
            error = "`dataset`, `purpose` and `jurisdiction` are required and must be ids (letters, digits, `.`, `_`, `-`)";
            return false;
        }

        var action = DataAction.ReadRows;
        if (request.Action is not null && !ApiNames.TryParseAction(request.Action, out action))
        {
            error = ApiNames.InvalidAction;
            return false;
        }

        if (request.LifetimeSeconds is <= 0)
        {
            error = "`lifetimeSeconds`, when given, must be at least 1";
            return false;
        }

        if (!Ids.TryReadOptionalParty(request.Subprocessor, out var subprocessor))
        {
            error = Ids.InvalidSubprocessor;
            return false;
        }

        // Security: "unknown" is judged among the parties of the caller's own agreements in force, so that the answer
        // tells the caller nothing about other recipients' agreements.
        if (subprocessor is { } named && !policy.Agreements.Any(a => a.Agreement.Parties.Any(p => p.Id == identity.Recipient) && a.Agreement.Parties.Any(p => p.Id == named)))
        {
            error = $"`subprocessor` `{named}` is not a party to an agreement in force of the caller";
            return false;
        }

        decisionRequest = new DecisionRequest(identity.Recipient, action, new DatasetId(request.Dataset!), new PurposeId(request.Purpose!), new Jurisdiction(request.Jurisdiction!), subprocessor, now, identity.Role);
        error = string.Empty;
        return true;
    }
}
