using System.Globalization;
using Concordat.Decisions;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Incidents;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Security;
using Concordat.Log;

namespace Concordat.Gateway.Journal;

/// <summary>
/// The one path of the gateway's entries to its log: it owns the pushback policy (a request's entry that the log
/// cannot take now is answered 503 with Retry-After; an entry that must be written waits) and records refusals.
/// </summary>
internal sealed class GatewayJournal(IGatewayLog log, TimeProvider timeProvider, GatewayMetrics metrics, DetectionSignal detection, ILogger<GatewayJournal> logger)
{
    /// <summary>Gets the current instant.</summary>
    public DateTimeOffset Now => timeProvider.GetUtcNow();

    /// <summary>Appends an entry no request waits on (a background flush) and waits until it is durable.</summary>
    /// <returns><see langword="false"/> when the log pushed back and nothing was written.</returns>
    public async Task<bool> TryAppendAsync(GatewayEntry entry, CancellationToken cancellationToken) =>
        !(await AppendMeasuredAsync(entry, cancellationToken).ConfigureAwait(false)).IsPushback;

    /// <summary>
    /// Appends an entry that MUST be written whatever became of its request (the egress entry of a stream that ran,
    /// even when the client is gone): waits out every pushback rather than dropping the entry, and is not cancelled.
    /// </summary>
    /// <returns>The entry's index, once durable.</returns>
    public async Task<long> AppendUntilDurableAsync(GatewayEntry entry)
    {
        var appended = await AppendMeasuredAsync(entry, CancellationToken.None).ConfigureAwait(false);
        while (appended.IsPushback)
        {
            await Task.Delay(appended.RetryAfter, CancellationToken.None).ConfigureAwait(false);
            appended = await AppendMeasuredAsync(entry, CancellationToken.None).ConfigureAwait(false);
        }

        return appended.Index;
    }

    /// <summary>
    /// Appends <paramref name="entry"/> and waits until it is durable; returns <see langword="null"/> when it is,
    /// or the 503 answer (with Retry-After set on <paramref name="context"/>) when the log pushed back.
    /// </summary>
    public Task<ProblemHttpResult?> AppendAsync(HttpContext context, GatewayEntry entry, DecisionId? decisionId = null) =>
        AppendCoreAsync(context, entry, decisionId?.Value, context.RequestAborted);

    /// <summary>
    /// Appends <paramref name="entry"/> as <see cref="AppendAsync"/> does, but waits until it is durable or pushed back
    /// even when the request is aborted: for an entry appended under a store lock, which MUST NOT be released while
    /// the entry may still be written.
    /// </summary>
    public Task<ProblemHttpResult?> AppendUnderLockAsync(HttpContext context, GatewayEntry entry) =>
        AppendCoreAsync(context, entry, null, CancellationToken.None);

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
        return AppendCoreAsync(context, entry, entry.DecisionId, context.RequestAborted);
    }

    private static string Route(HttpContext context) => (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown";

    // The decision id is the text the entries and the problem write.
    private async Task<ProblemHttpResult?> AppendCoreAsync(HttpContext context, GatewayEntry entry, string? decisionId, CancellationToken cancellationToken)
    {
        var result = await AppendMeasuredAsync(entry, cancellationToken).ConfigureAwait(false);
        if (!result.IsPushback)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds));
        LogMessages.LogPushback(logger, seconds);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problem.Of(ProblemCode.LogPushback, $"the transparency log cannot take the entry now: retry after {seconds} s", decisionId);
    }

    // Invariant: every entry of the gateway reaches the log here, so the append metrics see them all.
    private async Task<LogAppendResult> AppendMeasuredAsync(GatewayEntry entry, CancellationToken cancellationToken)
    {
        var started = metrics.AppendStarted();
        var isPushback = false;
        try
        {
            var result = await log.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
            isPushback = result.IsPushback;
            if (!isPushback)
            {
                // Invariant: the detectors are woken for durable entries only; they read them from the log.
                detection.Offer(entry);
            }

            return result;
        }
        finally
        {
            metrics.AppendEnded(started, isPushback);
        }
    }
}
