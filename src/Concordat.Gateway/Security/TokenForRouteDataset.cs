using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Security;

/// <summary>
/// Endpoint filter of the routes that read one dataset with a token: the route's <c>{datasetId}</c> must be an id,
/// the caller must present a token, and the token must have been issued for that dataset; every other request is
/// refused, and the refusal is logged.
/// </summary>
/// <remarks>
/// Security: <see cref="CallerResolver"/> has already refused revoked and expired tokens and sealed recipients, so
/// behind this filter a handler reads <see cref="Caller.Token"/> as valid now and scoped to the route's dataset.
/// The checks run in this order, so a malformed id is refused as such whoever asks.
/// </remarks>
internal sealed class TokenForRouteDataset : IEndpointFilter
{
    /// <summary>The route parameter that names the dataset.</summary>
    public const string RouteParameter = "datasetId";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = http.Caller();
        if (Refusal(http.Request.RouteValues[RouteParameter] as string, caller) is not { } refusal)
        {
            return await next(context).ConfigureAwait(false);
        }

        var journal = http.RequestServices.GetRequiredService<GatewayJournal>();
        return await journal.RefuseAsync(http, refusal.Code, refusal.Detail, caller).ConfigureAwait(false);
    }

    private static (ProblemCode Code, string Detail)? Refusal(string? datasetId, Caller caller)
    {
        if (!Ids.IsValid(datasetId))
        {
            return (ProblemCode.InvalidId, "the dataset id is not valid");
        }

        if (caller.Token is not { } token)
        {
            return (ProblemCode.Unauthenticated, "send `Authorization: Bearer <token>` from POST /v1/tokens");
        }

        return token.Dataset.Value == datasetId ? null : (ProblemCode.WrongDataset, $"the token was issued for another dataset, not `{datasetId}`");
    }
}
