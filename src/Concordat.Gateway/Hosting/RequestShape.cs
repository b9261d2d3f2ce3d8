using Concordat.Gateway.Problems;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Concordat.Gateway.Hosting;

/// <summary>
/// What the gateway checks of a request before routing: <c>HEAD</c> is served as <c>GET</c> (RFC 9110 §9.3.2, Kestrel
/// sends no body for it), and a request target or headers over the gateway's limits are answered with a problem.
/// </summary>
/// <remarks>
/// Kestrel refuses what is over its own limits before any middleware runs, with an empty body; so its limits are set
/// above the gateway's (<see cref="ConfigureLimits"/>) and the gateway's are checked here, where a refusal is a problem
/// document like any other. A request Kestrel cannot parse at all (a malformed request line or header) still gets
/// Kestrel's empty 400: no request exists yet to answer. These refusals decide nothing and reach no endpoint, so they
/// are not logged (docs/api.md).
/// </remarks>
internal static class RequestShape
{
    /// <summary>The longest request target (path and query) the gateway takes, in bytes.</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>The most header bytes (names and values) the gateway takes.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>Sets Kestrel's limits above the gateway's own, so that the gateway answers first.</summary>
    public static void ConfigureLimits(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = MaxTargetBytes * 4;
        limits.MaxRequestHeadersTotalSize = MaxHeaderBytes * 4;
    }

    /// <summary>The middleware; it runs before routing.</summary>
    public static Task CheckAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (HttpMethods.IsHead(request.Method))
        {
            // Kestrel keeps the method of the request line to decide that no body is sent.
            request.Method = HttpMethods.Get;
        }

        if ((request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) > MaxTargetBytes)
        {
            return RefuseAsync(context, ProblemCode.UriTooLong, $"the request target is longer than {MaxTargetBytes} bytes");
        }

        var headerBytes = 0L;
        foreach (var (name, values) in request.Headers)
        {
            headerBytes += name.Length;

            // A loop rather than LINQ: StringValues enumerates without allocating, on every request.
            foreach (var value in values)
            {
                headerBytes += value?.Length ?? 0;
            }
        }

        return headerBytes > MaxHeaderBytes
            ? RefuseAsync(context, ProblemCode.HeadersTooLarge, $"the request headers are larger than {MaxHeaderBytes} bytes")
            : next(context);
    }

    private static Task RefuseAsync(HttpContext context, ProblemCode code, string detail) =>
        Problem.Of(code, detail).ExecuteAsync(context);
}
