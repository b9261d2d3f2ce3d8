using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Concordat.Core;
using Concordat.Gateway.Security;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Problems;

/// <summary>
/// <c>GET /errors/{code}</c>: the title, meaning and fix of an error code, from its table: what a problem's
/// <c>type</c> points at. JSON by default; a small page when <c>Accept</c> prefers <c>text/html</c> or <c>text/plain</c>.
/// </summary>
/// <remarks>
/// Anonymous and read-only, like <c>/openapi</c>: it decides nothing, so neither its answers nor its 404s are logged.
/// </remarks>
internal static partial class ErrorsApi
{
    /// <summary>The path under which each code is explained; a problem's <c>type</c> is this path and its code.</summary>
    public const string Path = "/errors/";

    public static IEndpointRouteBuilder MapErrorsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapApiGroup("/errors", "Errors");
        group.MapGet("/{code}", Explain).WithName("ExplainErrorCode")
            .WithSummary("The title, meaning and fix of an error code; a text or HTML page when Accept prefers one")
            .ProducesProblems(Status404NotFound);
        return app;
    }

    internal static Results<Ok<ErrorCodeView>, ContentHttpResult, ProblemHttpResult> Explain(string code, HttpContext context)
    {
        if (!ErrorCatalog.TryFind(code, out var entry))
        {
            // Security: the code is echoed only when it has the shape of a code (letters and digits).
            var detail = CodeShape().IsMatch(code) ? $"`{code}` is not an error code" : "an error code is an area prefix and four digits, such as `GW6001`";
            return Problem.Of(ProblemCode.NotFound, detail);
        }

        var status = (entry as ProblemCode)?.Status;
        switch (Preferred(context.Request))
        {
            case "text/html":
                context.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
                return TypedResults.Content(Html(entry, status), "text/html; charset=utf-8");
            case "text/plain":
                return TypedResults.Text(Text(entry, status), "text/plain; charset=utf-8");
            default:
                return TypedResults.Ok(new ErrorCodeView(entry.Code, entry.Title, entry.Meaning, entry.Fix, status));
        }
    }

    /// <summary>The representation the request prefers: <c>text/html</c>, <c>text/plain</c> or JSON (the default).</summary>
    private static string Preferred(HttpRequest request)
    {
        foreach (var accept in request.GetTypedHeaders().Accept.OrderByDescending(a => a.Quality ?? 1))
        {
            var type = accept.MediaType.Value;
            if (accept.Quality == 0 || type is null)
            {
                continue;
            }

            if (type.Equals("text/html", StringComparison.OrdinalIgnoreCase) || type.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                return type.ToLowerInvariant();
            }

            if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Equals("application/*", StringComparison.Ordinal) || type.Equals("*/*", StringComparison.Ordinal))
            {
                break;
            }
        }

        return "application/json";
    }

    private static string Text(ErrorCode entry, int? status) =>
        $"{entry.Code}: {entry.Title}\n{(status is { } s ? $"status: {s}\n" : string.Empty)}meaning: {entry.Meaning}\nfix: {entry.Fix}\n";

    private static string Html(ErrorCode entry, int? status)
    {
        var e = HtmlEncoder.Default;
        var heading = e.Encode($"{entry.Code}: {entry.Title}");
        var statusLine = status is { } s ? $"<p>HTTP status {s}</p>\n" : string.Empty;
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{heading}</title></head>
            <body>
            <h1>{heading}</h1>
            {statusLine}<p>{e.Encode(entry.Meaning)}</p>
            <p>Fix: {e.Encode(entry.Fix)}</p>
            </body>
            </html>

            """;
    }

    [GeneratedRegex("^[A-Za-z]{2,3}[0-9]{4}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex CodeShape();
}
