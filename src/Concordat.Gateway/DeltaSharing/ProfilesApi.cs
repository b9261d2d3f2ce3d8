using System.Net.Http.Headers;
using System.Text;
using Concordat.Agreements;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>
/// <c>POST /v1/delta-sharing/profiles</c>: a recipient's identity asks for a Delta Sharing profile file for a purpose and
/// a jurisdiction; <c>concordat share profile</c> calls it with an identity it has just created.
/// </summary>
internal static class ProfilesApi
{
    public static IEndpointRouteBuilder MapDeltaSharingProfilesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapRecipientGroup("/v1/delta-sharing", "Delta Sharing");
        group.MapPost("/profiles", CreateProfileAsync).WithName("CreateDeltaSharingProfile")
            .WithSummary("Write a Delta Sharing profile file for the calling identity (version 2 by default; version 1 issues a share token)")
            .ProducesProblems(Status400BadRequest, Status401Unauthorized, Status403Forbidden, Status413PayloadTooLarge, Status415UnsupportedMediaType);
        return app;
    }

    internal static async Task<Results<Ok<DeltaSharingProfile>, ProblemHttpResult>> CreateProfileAsync(ProfileRequest request, [AsParameters] DeltaSharingServices services)
    {
        var (context, journal) = (services.Context, services.Journal);
        var caller = context.Caller();

        // Invariant: authentication refused revoked identities and sealed recipients before this handler.
        if (caller.Identity is not { } identity || !TryReadSecret(context.Request.Headers.Authorization.ToString(), out var secret))
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "authenticate with HTTP Basic: the client id and secret the profile will hold", caller).ConfigureAwait(false);
        }

        if (!Ids.IsValid(request.Purpose) || !Ids.IsValid(request.Jurisdiction))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, "`purpose` and `jurisdiction` are required ids", caller).ConfigureAwait(false);
        }

        if (request.ShareCredentialsVersion is not (null or 1 or 2))
        {
            return await journal.RefuseAsync(context, ProblemCode.InvalidRequest, $"`shareCredentialsVersion` is 1 or 2, not {request.ShareCredentialsVersion}", caller).ConfigureAwait(false);
        }

        var purpose = new PurposeId(request.Purpose!);
        var jurisdiction = new Jurisdiction(request.Jurisdiction!);
        var endpoint = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}/delta-sharing/";
        context.Response.Headers.CacheControl = "no-store";
        if (request.ShareCredentialsVersion == 1)
        {
            var issue = await ShareTokens.IssueAsync(services, identity, purpose, jurisdiction).ConfigureAwait(false);
            if (issue.Pushback is not null)
            {
                return issue.Pushback;
            }

            if (issue.Refusal is not null)
            {
                return Problem.Of(ProblemCode.Denied, issue.Refusal, issue.Decision?.Value);
            }

            return TypedResults.Ok(new DeltaSharingProfile(1, endpoint, BearerToken: issue.Bearer, ExpirationTime: issue.Token!.ExpiresAt));
        }

        return TypedResults.Ok(new DeltaSharingProfile(
            2,
            endpoint,
            Type: "oauth_client_credentials",
            TokenEndpoint: endpoint + "oauth/token",
            ClientId: identity.ClientId.Value,
            ClientSecret: secret,
            Scope: $"purpose:{purpose} jurisdiction:{jurisdiction}"));
    }

    // Security: the secret is the one the caller has just authenticated with (CallerResolver checked it against its
    // hash); it is echoed to its owner only, never stored or logged.
    private static bool TryReadSecret(string header, out string secret)
    {
        secret = string.Empty;
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || !value.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return false;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        secret = decoded[(decoded.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return true;
    }
}
