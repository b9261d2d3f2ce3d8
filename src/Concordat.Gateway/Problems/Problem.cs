using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Gateway.Problems;

/// <summary>
/// RFC 9457 problem details with Concordat's extensions: <c>code</c>, <c>traceId</c> and, when a decision was
/// made, <c>decisionId</c>; <c>type</c> points at the code's section of docs/errors.md (a URI reference relative to the repository root).
/// </summary>
internal static class Problem
{
    /// <summary>The base of every problem type URI.</summary>
    public const string TypeBase = "docs/errors.md#";

    /// <summary>Makes the problem result for <paramref name="code"/>.</summary>
    public static ProblemHttpResult Of(ProblemCode code, string detail, string? decisionId = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Type = TypeBase + code.Code.ToLowerInvariant(),
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

    /// <summary>Completes a problem the framework made on its own (404 for an unknown route, 413, 500) so it has a code, type and trace id.</summary>
    public static void Complete(ProblemDetails problem, HttpContext context)
    {
        var status = problem.Status ?? context.Response.StatusCode;
        if (!problem.Extensions.TryGetValue("code", out var value) || value is null)
        {
            var code = ProblemCode.ForStatus(status);
            problem.Extensions["code"] = code.Code;
            problem.Type = TypeBase + code.Code.ToLowerInvariant();
            problem.Title = code.Title;
        }

        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
    }
}
