using System.Globalization;
using Concordat.Decisions;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;

namespace Concordat.Gateway.Journal;

/// <summary>
/// Writes gateway entries to the log and turns a pushback into the 503 answer; records refusals.
/// </summary>
internal sealed class GatewayJournal(IGatewayLog log, TimeProvider timeProvider, ILogger<GatewayJournal> logger)
{
    /// <summary>Gets the current instant.</summary>
    public DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>Appends an entry no request waits on (a background flush) and waits until it is durable.</summary>
    /// <returns><see langword="false"/> when the log pushed back and nothing was written.</returns>
    public async Task<bool> TryAppendAsync(GatewayEntry entry, CancellationToken cancellationToken) =>
        !(await log.AppendAsync(entry, cancellationToken).ConfigureAwait(false)).IsPushback;

    /// <summary>
    /// Appends <paramref name="entry"/> and waits until it is durable; returns <see langword="null"/> when it is,
    /// or the 503 answer (with Retry-After set on <paramref name="context"/>) when the log pushed back.
    /// </summary>
    public Task<ProblemHttpResult?> AppendAsync(HttpContext context, GatewayEntry entry, DecisionId? decisionId = null) =>
        AppendCoreAsync(context, entry, decisionId?.Value);

    /// <summary>
    /// Records a refusal in the log, then returns its problem (or the 503 answer when the log pushed back). Rate-limit
    /// refusals are aggregated instead (<see cref="RateLimitRefusals"/>).
    /// </summary>
    public async Task<ProblemHttpResult> RefuseAsync(HttpContext context, ProblemCode code, string detail, Caller caller, DecisionId? decisionId = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        Challenges.Add(context, code);
        var entry = Refusal(context, code, caller, decisionId);
        return await AppendRefusalAsync(context, entry).ConfigureAwait(false) ?? Problem.Of(code, detail, entry.DecisionId, extensions);
    }

    /// <summary>The refusal entry for a request answered with <paramref name="code"/>; nothing is written or logged.</summary>
    public RefusalEntry Refusal(HttpContext context, ProblemCode code, Caller caller, DecisionId? decisionId = null) =>
        new(
            Now,
            code.Code,
            code.Status,
            $"{context.Request.Method} {Route(context)}",
            (caller.Recipient ?? caller.Refused?.Recipient)?.Value,
            (caller.Identity?.ClientId ?? caller.Refused?.ClientId)?.Value,
            (caller.Token?.Id ?? caller.Refused?.TokenId)?.Value,
            decisionId?.Value);

    /// <summary>Writes a refusal entry and its console line; <see langword="null"/> when durable, else the 503 answer.</summary>
    public Task<ProblemHttpResult?> AppendRefusalAsync(HttpContext context, RefusalEntry entry)
    {
        var route = Route(context);
        LogMessages.Refused(logger, entry.Code, context.Request.Method, route);
        return AppendCoreAsync(context, entry, entry.DecisionId);
    }

    private static string Route(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown";

    // The decision id is the text the entries and the problem write.
    private async Task<ProblemHttpResult?> AppendCoreAsync(HttpContext context, GatewayEntry entry, string? decisionId)
    {
        var result = await log.AppendAsync(entry, context.RequestAborted).ConfigureAwait(false);
        if (!result.IsPushback)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds));
        LogMessages.LogPushback(logger, seconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problem.Of(ProblemCode.LogPushback, $"the transparency log cannot take the entry now: retry after {seconds} s", decisionId);
    }
}
