using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Problems;

/// <summary>
/// Writes every problem as <c>application/problem+json</c>, completed by <see cref="Problem.Complete"/>, whatever the
/// request's <c>Accept</c> says.
/// </summary>
/// <remarks>
/// The framework's own writer declines a request that accepts no JSON (a rows request with <c>Accept: text/csv</c>),
/// and the problem is then written without completion: no trace id, a type that is not absolute. A problem is the only
/// answer such a request can get, so it is written the same way for every request.
/// </remarks>
internal sealed class ProblemWriter(IOptions<JsonOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        Problem.Complete(problem, http);
        var typeInfo = options.Value.SerializerOptions.GetTypeInfo(problem.GetType());
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, typeInfo, "application/problem+json", http.RequestAborted));
    }
}
