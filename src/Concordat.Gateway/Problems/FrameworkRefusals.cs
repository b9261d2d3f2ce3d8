using System.Globalization;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Problems;

/// <summary>
/// Answers the error statuses the framework sets on its own, before a handler runs (a body over the size limit,
/// malformed JSON, an unsupported media type), with a problem; when the request reached an endpoint, the refusal is
/// logged like every other refusal.
/// </summary>
/// <remarks>
/// A request that matches no endpoint decides nothing and concerns nobody, so its 404 is answered but not logged
/// (otherwise any probe could grow the log).
/// </remarks>
internal static class FrameworkRefusals
{
    /// <summary>The handler for <c>UseStatusCodePages</c>.</summary>
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var code = ProblemCode.ForStatus(http.Response.StatusCode);
        var detail = Detail(code, http);
        var problem = http.GetEndpoint() is RouteEndpoint
            ? await http.RequestServices.GetRequiredService<GatewayJournal>().RefuseAsync(http, code, detail, http.Caller()).ConfigureAwait(false)
            : Problem.Of(code, detail);
        await problem.ExecuteAsync(http).ConfigureAwait(false);
    }

    private static string Detail(ProblemCode code, HttpContext context)
    {
        if (code == ProblemCode.BodyTooLarge && context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the request body is larger than the limit of {limit} bytes");
        }

        return code.Title;
    }
}
