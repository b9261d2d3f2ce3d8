namespace Concordat.Gateway.Transparency;

/// <summary>
/// Middleware that answers a full tile the tiles API served before (<see cref="FullTileCache"/>) ahead of routing,
/// caller resolution and rate limiting: anonymous, exempt from the rate limit and immutable, it needs none of them.
/// </summary>
/// <remarks>
/// It runs after <c>RequestShape</c>, so a request over the gateway's limits is refused as before. The answer is the
/// endpoint's, byte for byte: 200, <c>application/octet-stream</c>, the full tile's <c>Cache-Control</c>. Any request
/// the endpoint might answer otherwise goes on to it: another method, a path not cached (another case of the prefix,
/// a partial tile, a tile not read yet), credentials, or conditional and range headers.
/// </remarks>
internal sealed class FullTileShortcut(RequestDelegate next, FullTileCache cache)
{
    private const string ContentType = "application/octet-stream";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || request.Path.Value is not { } path || !cache.TryGet(path, out var bytes) || NeedsThePipeline(request.Headers))
        {
            return next(context);
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = bytes.Length;
        response.Headers.CacheControl = TilesApi.FullTileCaching;
        return response.Body.WriteAsync(bytes, 0, bytes.Length, context.RequestAborted);
    }

    // Security: a request with credentials goes on to the caller's check, which refuses a refused credential on every
    // route (CallerResolver), anonymous ones included.
    private static bool NeedsThePipeline(IHeaderDictionary headers) =>
        headers.Authorization.Count != 0 || headers.Range.Count != 0 || headers.IfRange.Count != 0 || headers.IfMatch.Count != 0
        || headers.IfNoneMatch.Count != 0 || headers.IfModifiedSince.Count != 0 || headers.IfUnmodifiedSince.Count != 0;
}
