using System.Text.Json;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Log;
using Concordat.Merkle;
using static Microsoft.AspNetCore.Http.StatusCodes;

namespace Concordat.Gateway.Transparency;

/// <summary>
/// The log API: the signed checkpoint, entries by range with a monotone cursor, inclusion and consistency proofs,
/// and a recipient's own access entries with their proofs. Public, read-only: anyone may verify.
/// </summary>
internal static class LogApi
{
    /// <summary>The most entries one page returns.</summary>
    public const int MaxPage = 1000;

    public static IEndpointRouteBuilder MapLogApi(this IEndpointRouteBuilder app)
    {
        // Security: anonymous, but rate-limited: callers that are not a recipient share one limit, so reads cannot
        // starve the log's writer or the other callers.
        var group = app.MapApiGroup("/v1/log", "Log").RequireRecipientRateLimit();
        group.MapGet("/checkpoint", ReadCheckpointAsync).WithName("ReadCheckpoint").WithSummary("The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)")
            .Produces<string>(Status200OK, "text/plain");
        group.MapGet("/entries", ReadEntriesAsync).WithName("ReadEntries").WithSummary("Entries from a cursor; the next cursor only grows")
            .ProducesProblems(Status400BadRequest);
        group.MapGet("/proofs/inclusion", ProveInclusionAsync).WithName("ProveInclusion").WithSummary("RFC 6962 inclusion proof of an entry in a tree size")
            .ProducesProblems(Status400BadRequest);
        group.MapGet("/proofs/consistency", ProveConsistencyAsync).WithName("ProveConsistency").WithSummary("RFC 6962 consistency proof between two tree sizes")
            .ProducesProblems(Status400BadRequest);
        group.MapGet("/mine", ReadOwnEntriesAsync).WithName("ReadOwnEntries")
            .WithSummary("The caller's own access entries, each with its inclusion proof in the latest checkpoint")
            .ProducesProblems(Status401Unauthorized);
        return app;
    }

    internal static async Task<ContentHttpResult> ReadCheckpointAsync(ILogReader reader, HttpContext context)
    {
        var checkpoint = await reader.ReadCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Text(checkpoint.SignedNote, "text/plain; charset=utf-8");
    }

    internal static async Task<Results<Ok<EntriesPage>, ProblemHttpResult>> ReadEntriesAsync(ILogReader reader, HttpContext context, long? cursor, int? limit)
    {
        var start = cursor ?? 0;
        var count = limit ?? 100;
        if (start < 0 || count is < 1 or > MaxPage)
        {
            return Problem.Of(ProblemCode.InvalidRequest, $"`cursor` must be at least 0 and `limit` between 1 and {MaxPage}");
        }

        var checkpoint = await reader.ReadCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
        var end = Math.Min(checkpoint.TreeSize, start + count);
        var entries = start >= end ? [] : await reader.ReadEntriesAsync(start, (int)(end - start), context.RequestAborted).ConfigureAwait(false);
        var page = entries.Select(e => View(e.Index, e.Entry)).ToList();

        // Invariant: the cursor never goes back, and never past the checkpoint the page was read under.
        return TypedResults.Ok(new EntriesPage(checkpoint.TreeSize, page, Math.Max(start, end)));
    }

    internal static async Task<Results<Ok<ProofView>, ProblemHttpResult>> ProveInclusionAsync(ILogReader reader, HttpContext context, long index, long treeSize)
    {
        if (index < 0 || treeSize <= index)
        {
            return Problem.Of(ProblemCode.InvalidRequest, "`index` must be at least 0 and below `treeSize`");
        }

        var checkpoint = await reader.ReadCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
        if (treeSize > checkpoint.TreeSize)
        {
            return Problem.Of(ProblemCode.InvalidRequest, $"`treeSize` is beyond the latest checkpoint ({checkpoint.TreeSize})");
        }

        var hashes = await reader.ProveInclusionAsync(index, treeSize, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new ProofView(index, treeSize, hashes.Select(Convert.ToBase64String).ToList()));
    }

    internal static async Task<Results<Ok<ProofView>, ProblemHttpResult>> ProveConsistencyAsync(ILogReader reader, HttpContext context, long first, long second)
    {
        if (first < 1 || second < first)
        {
            return Problem.Of(ProblemCode.InvalidRequest, "`first` must be at least 1 and at most `second`");
        }

        var checkpoint = await reader.ReadCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
        if (second > checkpoint.TreeSize)
        {
            return Problem.Of(ProblemCode.InvalidRequest, $"`second` is beyond the latest checkpoint ({checkpoint.TreeSize})");
        }

        var hashes = await reader.ProveConsistencyAsync(first, second, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new ProofView(first, second, hashes.Select(Convert.ToBase64String).ToList()));
    }

    internal static async Task<Results<Ok<OwnEntriesPage>, ProblemHttpResult>> ReadOwnEntriesAsync(ILogReader reader, HttpContext context, GatewayJournal journal, long? cursor)
    {
        var caller = context.Caller();
        if (caller.Token is not { } token)
        {
            return await journal.RefuseAsync(context, ProblemCode.Unauthenticated, "send a bearer token of the recipient", caller).ConfigureAwait(false);
        }

        var checkpoint = await reader.ReadCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
        var recipient = token.Recipient.Value;
        var own = new List<OwnEntryView>();
        var start = Math.Max(0, cursor ?? 0);
        var next = start;

        // Reads in pages so memory stays flat in the size of the log; returns at most one page of own entries.
        while (next < checkpoint.TreeSize && own.Count < MaxPage)
        {
            var batch = await reader.ReadEntriesAsync(next, (int)Math.Min(MaxPage, checkpoint.TreeSize - next), context.RequestAborted).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var (index, bytes) in batch)
            {
                next = index + 1;
                if (Concerns(bytes, recipient))
                {
                    var proof = await reader.ProveInclusionAsync(index, checkpoint.TreeSize, context.RequestAborted).ConfigureAwait(false);
                    own.Add(new OwnEntryView(index, Convert.ToBase64String(bytes), Convert.ToBase64String(Rfc6962.HashLeaf(bytes)), proof.Select(Convert.ToBase64String).ToList()));
                }
            }
        }

        return TypedResults.Ok(new OwnEntriesPage(checkpoint.SignedNote, checkpoint.TreeSize, own, next));
    }

    private static LogEntryView View(long index, byte[] bytes) => LogEntry.TryParse(bytes, out var entry, out _)
        ? new LogEntryView(index, Convert.ToBase64String(bytes), entry.Type, entry.Time, entry.Body)
        : new LogEntryView(index, Convert.ToBase64String(bytes), null, null, null);

    private static bool Concerns(byte[] bytes, string recipient) =>
        LogEntry.TryParse(bytes, out var entry, out _)
        && entry.Type.StartsWith("gateway.", StringComparison.Ordinal)
        && entry.Body.ValueKind == JsonValueKind.Object
        && entry.Body.TryGetProperty("recipient", out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString() == recipient;
}
