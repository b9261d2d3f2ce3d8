using Concordat.Log;
using Microsoft.AspNetCore.Diagnostics;

namespace Concordat.Gateway.Problems;

/// <summary>
/// Answers an exception no handler expected (a bug, or the environment failing) with the <c>GW6022</c> problem, and
/// logs it with the request's method and path; a log that refuses to grow is answered <c>GW6024</c> instead; a request
/// body too slow (408 <c>GW6031</c>) or cut short (400 <c>GW6013</c>) is the client's doing and answered as such.
/// </summary>
/// <remarks>
/// Security: the answer names no exception, message or stack trace; the trace id in the problem finds the logged
/// exception. The query string is not logged.
/// </remarks>
internal sealed class UnexpectedErrors(ILogger<UnexpectedErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is LogDamagedException damaged)
        {
            // Security: fail closed; the refusal goes to the console, never to the damaged log.
            LogMessages.LogDamaged(logger, damaged.Problem.Code, damaged.Problem.Message);
            await Problem.Of(ProblemCode.LogDamaged, "the transparency log refuses to grow until the operator verifies it").ExecuteAsync(httpContext).ConfigureAwait(false);
            return true;
        }

        // A body that came too slowly (408) or ended before its Content-Length (400) is the client's doing, not a bug.
        if (exception is BadHttpRequestException { StatusCode: 400 or 408 } bad)
        {
            var code = ProblemCode.ForStatus(bad.StatusCode);
            await Problem.Of(code, bad.StatusCode == 408 ? "the request body came too slowly" : "the request body ended before its declared length or is malformed").ExecuteAsync(httpContext).ConfigureAwait(false);
            return true;
        }

        LogMessages.Unexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/");
        var problem = Problem.Of(ProblemCode.Internal, "the gateway met an unexpected error: its log has the details under this problem's trace id");
        await problem.ExecuteAsync(httpContext).ConfigureAwait(false);
        return true;
    }
}
