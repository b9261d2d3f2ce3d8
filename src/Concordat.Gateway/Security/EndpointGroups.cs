using Concordat.Gateway.Problems;

namespace Concordat.Gateway.Security;

/// <summary>
/// Route groups by the kind of caller they serve, so that every group of one kind is guarded the same way and
/// describes the same problem responses.
/// </summary>
internal static class EndpointGroups
{
    /// <summary>
    /// A group of the API: any of its endpoints may answer 401 (a refused credential is refused on every route) and 500
    /// (<c>GW6022</c>) on an unexpected error.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix).WithTags(tag).ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status500InternalServerError);

    /// <summary>A group of operator acts: every caller but the operator is refused (<see cref="OperatorOnly"/>).</summary>
    public static RouteGroupBuilder MapOperatorGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapApiGroup(prefix, tag).RequireOperator();

    /// <summary>A group recipients call: rate-limited per recipient as the agreements in force set it.</summary>
    public static RouteGroupBuilder MapRecipientGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapApiGroup(prefix, tag).RequireRecipientRateLimit();

    /// <summary>
    /// Refuses every caller but the operator: 401 without credentials, 403 with others, 503 when the log cannot take
    /// the refusal's entry.
    /// </summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, OperatorOnly>().ProducesProblems(
            StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status503ServiceUnavailable);

    /// <summary>
    /// Lets through only a token issued for the route's <c>{datasetId}</c> (<see cref="TokenForRouteDataset"/>): 400 for
    /// a malformed id, 401 without a token, 403 with a token for another dataset; 503 when the log cannot take the
    /// refusal's entry is declared by <see cref="RequireRecipientRateLimit"/>, which every route a token calls has.
    /// </summary>
    public static TBuilder RequireTokenForRouteDataset<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, TokenForRouteDataset>().ProducesProblems(
            StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);

    /// <summary>
    /// Rate-limits per recipient: 429 once the window is spent, 503 when the log cannot take a refusal's entry (every
    /// endpoint recipients call logs its refusals).
    /// </summary>
    public static TBuilder RequireRecipientRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(RateLimits.RecipientPolicy).ProducesProblems(StatusCodes.Status429TooManyRequests, StatusCodes.Status503ServiceUnavailable);
}
