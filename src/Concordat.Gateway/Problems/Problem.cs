using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Gateway.Problems;

/// <summary>
/// RFC 9457 problem details with Concordat's extensions: <c>code</c>, <c>traceId</c> and, when a decision was
/// made, <c>decisionId</c>; <c>type</c> is the absolute URI where this gateway explains the code
/// (<c>{scheme}://{host}/errors/{code}</c>, see <see cref="ErrorsApi"/>).
/// </summary>
internal static class Problem
{
    /// <summary>Makes the problem result for <paramref name="code"/>.</summary>
    /// <remarks><c>type</c> is the path of the code's explanation until <see cref="Complete"/> resolves it against the request.</remarks>
    public static ProblemHttpResult Of(ProblemCode code, string detail, string? decisionId = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Type = ErrorsApi.Path + code.Code,
            Title = code.Title,
            Status = code.Status,
            Detail = detail,
        };
        problem.Extensions["code"] = code.Code;
        if (decisionId is not null)
        {
            problem.Extensions["decisionId"] = decisionId;
        }

        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>
    /// Completes a problem as it is written: a code, title and type for one the framework made on its own (404 for an
    /// unknown route, 413, 500), the absolute type URI, and the trace id.
    /// </summary>
    public static void Complete(ProblemDetails problem, HttpContext context)
    {
        var status = problem.Status ?? context.Response.StatusCode;
        if (!problem.Extensions.TryGetValue("code", out var value) || value is null)
        {
            var code = ProblemCode.ForStatus(status);
            problem.Extensions["code"] = code.Code;
            problem.Type = ErrorsApi.Path + code.Code;
            problem.Title = code.Title;
        }

        // Spec: RFC 9457 §3.1.1: a relative type is resolved against the document's base URI; an absolute one spares
        // every client that step. The request's own scheme and host are where this gateway serves the explanation.
        if (problem.Type is { } type && type.StartsWith(ErrorsApi.Path, StringComparison.Ordinal))
        {
            var request = context.Request;
            problem.Type = $"{request.Scheme}://{request.Host}{request.PathBase}{type}";
        }

        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
    }
}
