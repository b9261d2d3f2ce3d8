using System.Net.Http.Headers;
using System.Text;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Problems;
using Concordat.Registry;

namespace Concordat.Gateway.Security;

/// <summary>
/// Middleware that resolves the <see cref="Caller"/> before rate limiting and routing: <c>Bearer cda_...</c> is the
/// operator, <c>Bearer cdt_...</c> a token, <c>Basic</c> client credentials (RFC 6749 §2.3.1).
/// </summary>
/// <remarks>
/// Security: credentials are compared by hash (constant time for the operator key and client secrets); the
/// value of a credential never reaches a log or a problem detail.
/// </remarks>
internal sealed class CallerResolver(RequestDelegate next, IRegistryStore store, GatewayWorkspace workspace)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Features.Set(await ResolveAsync(context.Request.Headers.Authorization.ToString(), context.RequestAborted).ConfigureAwait(false));
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
                    ? new Caller(true, null, null, null, null)
                    : new Caller(false, null, null, ProblemCode.OperatorRequired, "the operator key is not valid");
            }

            var token = await store.FindTokenByHashAsync(Secrets.Hash(credential), cancellationToken).ConfigureAwait(false);
            return token is null
                ? new Caller(false, null, null, ProblemCode.Unauthenticated, "the bearer token is not known")
                : new Caller(false, null, token, null, null);
        }

        if (value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return await ResolveClientAsync(value.Parameter, cancellationToken).ConfigureAwait(false);
        }

        return new Caller(false, null, null, ProblemCode.Unauthenticated, "use Bearer or Basic authentication");
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
            return new Caller(false, null, null, ProblemCode.BadClientCredentials, "the Basic credentials are not base64");
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !Ids.IsValid(decoded[..colon]))
        {
            return new Caller(false, null, null, ProblemCode.BadClientCredentials, "the client id is not valid");
        }

        var identity = await store.FindIdentityAsync(new IdentityId(decoded[..colon]), cancellationToken).ConfigureAwait(false);

        // Security: an unknown client id and a wrong secret get the same answer, so ids cannot be probed.
        if (identity is null || !Secrets.Matches(decoded[(colon + 1)..], identity.SecretHash.Span))
        {
            return new Caller(false, null, null, ProblemCode.BadClientCredentials, "the client id or secret is wrong");
        }

        return identity.RevokedAt is not null
            ? new Caller(false, identity, null, ProblemCode.BadClientCredentials, "the client identity is revoked")
            : new Caller(false, identity, null, null, null);
    }
}
