using Microsoft.AspNetCore.Diagnostics;

namespace Concordat.Gateway.Problems;

/// <summary>
/// Answers an exception no handler expected (a bug, or the environment failing) with the <c>GW6022</c> problem, and
/// logs it with the request's method and path.
/// </summary>
/// <remarks>
/// Security: the answer names no exception, message or stack trace; the trace id in the problem finds the logged
/// exception. The query string is not logged.
/// </remarks>
internal sealed class UnexpectedErrors(ILogger<UnexpectedErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        LogMessages.Unexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/");
        var problem = Problem.Of(ProblemCode.Internal, "the gateway met an unexpected error: its log has the details under this problem's trace id");
        await problem.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }
}
