using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Gateway.Witness;
using Concordat.Tiles;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Transparency;

/// <summary>
/// The log as C2SP tlog-tiles below <see cref="Prefix"/>: the checkpoint, hash tiles and entry bundles, for any
/// tlog-tiles client (docs/formats/tiles.md). Public and read-only, like the JSON log API beside it.
/// </summary>
internal static class TilesApi
{
    /// <summary>The log's tlog-tiles prefix.</summary>
    public const string Prefix = "/tlog";

    // Spec: c2sp.org/tlog-tiles — tiles are immutable, so "caching headers SHOULD be long-lived"; the checkpoint is
    // mutable and SHOULD NOT be cached "beyond a few seconds". A partial tile is cached briefly: clients move on to the
    // full tile once it exists.
    internal const string FullTileCaching = "public, max-age=31536000, immutable";
    private const string PartialTileCaching = "public, max-age=60";
    private const string CheckpointCaching = "no-cache";

    public static IEndpointRouteBuilder MapTilesApi(this IEndpointRouteBuilder app)
    {
        // Security: anonymous and rate-limited as the JSON log API is, except full tiles (see IsFullTileRequest): they
        // are immutable, so a cache or CDN in front absorbs them, and a verifier fetching the whole log is not starved.
        var group = app.MapApiGroup(Prefix, "Tiles").RequireRecipientRateLimit();
        group.MapGet("/checkpoint", ReadCheckpointAsync).WithName("ReadTiledCheckpoint")
            .WithSummary("The latest signed checkpoint, as C2SP tlog-tiles serves it (the same note as /v1/log/checkpoint)")
            .Produces<string>(Status200OK, "text/plain")
            .ProducesProblems(Status503ServiceUnavailable);
        group.MapGet("/tile/{**path}", ReadTileAsync).WithName("ReadTile")
            .WithSummary("A C2SP hash tile (tile/<L>/<N>[.p/<W>]) or entry bundle (tile/entries/<N>[.p/<W>]) of the latest signed tree")
            .Produces<Stream>(Status200OK, "application/octet-stream")
            .ProducesProblems(Status404NotFound);
        return app;
    }

    /// <summary>Answers full tiles served before ahead of routing (<see cref="FullTileShortcut"/>); call it after <c>RequestShape</c> and before routing.</summary>
    public static IApplicationBuilder UseFullTileShortcut(this IApplicationBuilder app) => app.UseMiddleware<FullTileShortcut>();

    /// <summary>Tells whether a request asks for a full tile (exempt from the anonymous rate limit).</summary>
    public static bool IsFullTileRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments(Prefix, out var rest) && rest.Value is { } path
        && TileAddress.TryParsePath(path[1..], out var tile) && !tile.IsPartial;

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReadCheckpointAsync(ILogReader reader, PublishedCheckpoint published, HttpContext context)
    {
        string note;
        if (published.IsWitnessed)
        {
            // Security: with witnesses configured, only a checkpoint they cosigned as the policy asks is served, so no
            // client is shown a tree the witnesses have not seen (a split view would need them to cosign both).
            if (published.Latest is not { } latest)
            {
                context.Response.Headers.RetryAfter = "1";
                return Problem.Of(ProblemCode.CheckpointNotWitnessed, "no checkpoint has the witness cosignatures the workspace's policy asks for yet");
            }

            note = latest.Note;
        }
        else
        {
            note = (await reader.ReadCheckpointAsync(context.RequestAborted).ConfigureAwait(false)).SignedNote;
        }

        context.Response.Headers.CacheControl = CheckpointCaching;
        return TypedResults.Text(note, "text/plain; charset=utf-8");
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ReadTileAsync(ILogReader reader, FullTileCache cache, HttpContext context, string path)
    {
        if (!TileAddress.TryParsePath("tile/" + path, out var tile))
        {
            return Problem.Of(ProblemCode.TileNotFound, "the path is not a C2SP tile path");
        }

        byte[]? bytes;
        try
        {
            bytes = await reader.ReadTileAsync(tile, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            return Problem.Of(ProblemCode.TileUnreadable, $"`{tile}`: {ex.Message}");
        }

        if (bytes is null)
        {
            return Problem.Of(ProblemCode.TileNotFound, $"`{tile}` is not in the tree of the latest signed checkpoint");
        }

        cache.Add(tile, bytes);
        context.Response.Headers.CacheControl = tile.IsPartial ? PartialTileCaching : FullTileCaching;
        return TypedResults.File(bytes, "application/octet-stream");
    }
}
