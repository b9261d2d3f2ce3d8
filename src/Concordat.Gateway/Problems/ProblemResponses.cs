namespace Concordat.Gateway.Problems;

/// <summary>
/// Declares, for the OpenAPI document, the problem responses (RFC 9457, <c>application/problem+json</c>) endpoints can
/// answer with next to their success, so that the document lists every status a client has to handle.
/// </summary>
internal static class ProblemResponses
{
    /// <summary>Declares that the endpoints of <paramref name="builder"/> may answer with a problem of each of <paramref name="statuses"/>.</summary>
    /// <remarks>A status MUST be declared once per endpoint: on its group or on the endpoint, not on both.</remarks>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params ReadOnlySpan<int> statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
