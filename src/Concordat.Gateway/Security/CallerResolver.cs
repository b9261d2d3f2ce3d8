using System.Net.Http.Headers;
using System.Text;
using Concordat.Agreements;
using Concordat.Gateway.DeltaSharing;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Recipients;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Security;

/// <summary>
/// Middleware that resolves the <see cref="Caller"/> before rate limiting and routing: <c>Bearer cda_...</c> is the
/// operator, <c>Bearer cdt_...</c> a token, <c>Basic</c> client credentials (RFC 6749 §2.3.1). A request whose
/// credentials are refused is answered here, on every route, and the refusal is logged.
/// </summary>
/// <remarks>
/// Security: credentials are compared by hash (constant time for the operator key and client secrets); the
/// value of a credential never reaches a log or a problem detail. A token is accepted only while it is neither
/// revoked nor expired and its recipient is not sealed; checking here, once, means no route can forget to.
/// Presenting a refused credential is refused even where anonymous callers are served (RFC 6750 §3.1: an invalid
/// token is <c>invalid_token</c>, not "anonymous").
/// </remarks>
internal sealed class CallerResolver(RequestDelegate next, IRegistryStore store, GatewayWorkspace workspace, StreamRegistry streams, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context, GatewayJournal journal)
    {
        var caller = await ResolveAsync(context.Request.Headers.Authorization.ToString(), context.RequestAborted).ConfigureAwait(false);
        context.Features.Set(caller);
        if (caller.Failure is { } failure)
        {
            // Security: fail closed before any handler, filter or rate limiter runs. A request that matches no endpoint
            // is answered but not logged, as FrameworkRefusals does, so probes cannot grow the log.
            var detail = caller.FailureDetail ?? failure.Title;
            Challenges.Add(context, failure);
            var problem = context.GetEndpoint() is RouteEndpoint
                ? await journal.RefuseAsync(context, failure, detail, caller).ConfigureAwait(false)
                : Problem.Of(failure, detail);
            var answer = problem.StatusCode == StatusCodes.Status503ServiceUnavailable ? problem : DeltaSharingRefusals.For(context, failure, detail) ?? problem;
            await answer.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await next(context).ConfigureAwait(false);
    }

    private async Task<Caller> ResolveAsync(string header, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(header) || !AuthenticationHeaderValue.TryParse(header, out var value) || string.IsNullOrEmpty(value.Parameter))
        {
            return Caller.Anonymous;
        }

        if (value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var credential = value.Parameter;
            if (credential.StartsWith(GatewayWorkspace.AdminKeyPrefix, StringComparison.Ordinal))
            {
                return Secrets.Matches(credential, workspace.AdminKeyHash)
                    ? Caller.Operator
                    : Caller.Refuse(ProblemCode.OperatorRequired, "the operator key is not valid");
            }

            var token = await store.FindTokenByHashAsync(Secrets.Hash(credential), cancellationToken).ConfigureAwait(false);
            return token is null
                ? Caller.Refuse(ProblemCode.Unauthenticated, "the bearer token is not known")
                : await CheckTokenAsync(token, cancellationToken).ConfigureAwait(false);
        }

        if (value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return await ResolveClientAsync(value.Parameter, cancellationToken).ConfigureAwait(false);
        }

        return Caller.Refuse(ProblemCode.Unauthenticated, "use Bearer or Basic authentication");
    }

    private async Task<Caller> CheckTokenAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        var refused = new Caller.RefusedCredential(token.Recipient, token.ClientId, token.Id);
        if (await IsSealedAsync(token.Recipient, cancellationToken).ConfigureAwait(false))
        {
            return Caller.Refuse(ProblemCode.RecipientSealed, $"recipient `{token.Recipient}` is sealed", refused);
        }

        if (token.RevokedAt is not null)
        {
            return Caller.Refuse(ProblemCode.TokenRevoked, "the token is revoked", refused);
        }

        if (clock.GetUtcNow() >= token.ExpiresAt)
        {
            return Caller.Refuse(ProblemCode.TokenExpired, "the token has expired: ask POST /v1/tokens for a new one", refused);
        }

        return new Caller(false, null, token, null, null);
    }

    private async Task<Caller> ResolveClientAsync(string parameter, CancellationToken cancellationToken)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
        }
        catch (FormatException)
        {
            return Caller.Refuse(ProblemCode.BadClientCredentials, "the Basic credentials are not base64");
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Ids.IsValid(decoded[..colon]))
        {
            return Caller.Refuse(ProblemCode.BadClientCredentials, "the client id is not valid");
        }

        var identity = await store.FindIdentityAsync(new IdentityId(decoded[..colon]), cancellationToken).ConfigureAwait(false);

        // Security: an unknown client id and a wrong secret get the same answer, so ids cannot be probed.
        if (identity is null || !Secrets.Matches(decoded[(colon + 1)..], identity.SecretHash.Span))
        {
            return Caller.Refuse(ProblemCode.BadClientCredentials, "the client id or secret is wrong");
        }

        var refused = new Caller.RefusedCredential(identity.Recipient, identity.ClientId, null);
        if (identity.RevokedAt is not null)
        {
            return Caller.Refuse(ProblemCode.BadClientCredentials, "the client identity is revoked", refused);
        }

        if (await IsSealedAsync(identity.Recipient, cancellationToken).ConfigureAwait(false))
        {
            return Caller.Refuse(ProblemCode.RecipientSealed, $"recipient `{identity.Recipient}` is sealed", refused);
        }

        return new Caller(false, identity, null, null, null);
    }

    // Invariant: this process's mark answers at once (before the store has committed a seal made here); the store is
    // the authority for seals made on other replicas or before a restart.
    private async Task<bool> IsSealedAsync(PartyId recipient, CancellationToken cancellationToken) =>
        streams.IsSealed(recipient) || await store.FindSealAsync(recipient, cancellationToken).ConfigureAwait(false) is not null;
}
