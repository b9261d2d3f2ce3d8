namespace Concordat.Gateway.Security;

/// <summary>
/// Route groups by the kind of caller they serve, so that every group of one kind is guarded the same way.
/// </summary>
internal static class EndpointGroups
{
    /// <summary>A group of operator acts: every caller but the operator is refused (<see cref="OperatorOnly"/>).</summary>
    public static RouteGroupBuilder MapOperatorGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix).WithTags(tag).AddEndpointFilter<OperatorOnly>();

    /// <summary>A group recipients call: rate-limited per recipient as the agreements in force set it.</summary>
    public static RouteGroupBuilder MapRecipientGroup(this IEndpointRouteBuilder app, string prefix, string tag) =>
        app.MapGroup(prefix).WithTags(tag).RequireRateLimiting(RateLimits.RecipientPolicy);
}
