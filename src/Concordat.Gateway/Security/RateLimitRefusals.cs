using System.Collections.Concurrent;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Security;

/// <summary>
/// Logs the rate limiter's refusals (429) as refusal entries, aggregated: at most one entry per caller (the
/// rate limiter's partition: a recipient, or every caller that is not one) per <see cref="Period"/>, counting every
/// 429 of that caller since its previous entry.
/// </summary>
/// <remarks>
/// <para>
/// Why aggregate: a caller over its limit can send requests as fast as the network carries them, and one durable log
/// write per refused request would let it turn its flood into load on the log every other caller waits on (and grow
/// the log without bound). Aggregated, the 429s of a caller cost at most one write per period, and their number is
/// still on record.
/// </para>
/// <para>
/// The 429s an entry does not stand for yet are written by the caller's next rate-limit entry, or by
/// <see cref="FlushAsync"/> once the period has passed, so none stays off the record for much longer than a period
/// even when the caller stops: <see cref="RateLimitRefusalFlusher"/> calls it every quarter period and, with
/// <c>all</c>, when the gateway stops. A flushed entry repeats the route and caller of the last 429 it counts.
/// </para>
/// </remarks>
internal sealed class RateLimitRefusals(GatewayJournal journal)
{
    /// <summary>The shortest time between two rate-limit entries of one caller.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    // Invariant: one tally per partition key; the keys are the known recipients and "anonymous", so the map stays small.
    private readonly ConcurrentDictionary<string, Tally> _tallies = new(StringComparer.Ordinal);

    /// <summary>Answers a rejected request with 429 and, when the caller's period allows, logs the refusals first.</summary>
    public async Task<ProblemHttpResult> RefuseAsync(HttpContext context, string detail)
    {
        var caller = context.Caller();
        var tally = _tallies.GetOrAdd(caller.PartitionKey, static _ => new Tally());
        var latest = journal.Refusal(context, ProblemCode.RateLimited, caller);
        var count = tally.Take(latest, journal.Now);
        if (count == 0)
        {
            return Problem.Of(ProblemCode.RateLimited, detail);
        }

        var answer = await journal.AppendRefusalAsync(context, latest with { Count = count }).ConfigureAwait(false) ?? Problem.Of(ProblemCode.RateLimited, detail);
        if (answer.StatusCode != ProblemCode.RateLimited.Status)
        {
            // The log pushed back: nothing was written, so the refusals wait for the caller's next entry.
            tally.GiveBack(count);
        }

        return answer;
    }

    /// <summary>Writes the refusals not on record yet of every caller whose period has passed, or of every caller.</summary>
    /// <param name="all">Every caller's, period or not (the gateway is stopping).</param>
    /// <param name="cancellationToken">Stops waiting for the log.</param>
    /// <returns>The number of entries written.</returns>
    public async Task<int> FlushAsync(bool all, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var tally in _tallies.Values)
        {
            if (tally.TakeDue(journal.Now, all) is not { } entry)
            {
                continue;
            }

            if (await journal.TryAppendAsync(entry with { At = journal.Now }, cancellationToken).ConfigureAwait(false))
            {
                written++;
            }
            else
            {
                tally.GiveBack(entry.Count ?? 0);
            }
        }

        return written;
    }

    private sealed class Tally
    {
        private readonly Lock _lock = new();
        private DateTimeOffset? _lastEntry;
        private RefusalEntry? _latest;
        private int _pending;

        /// <summary>Counts one refusal; returns how many the entry to write now stands for, or 0 when none is due.</summary>
        public int Take(RefusalEntry latest, DateTimeOffset now)
        {
            lock (_lock)
            {
                _pending++;
                _latest = latest;
                if (_lastEntry is { } last && now - last < Period)
                {
                    return 0;
                }

                _lastEntry = now;
                var count = _pending;
                _pending = 0;
                return count;
            }
        }

        /// <summary>Takes the refusals not on record when the period has passed (or always with <paramref name="all"/>), as the entry to write.</summary>
        public RefusalEntry? TakeDue(DateTimeOffset now, bool all)
        {
            lock (_lock)
            {
                if (_pending == 0 || _latest is null || (!all && _lastEntry is { } last && now - last < Period))
                {
                    return null;
                }

                _lastEntry = now;
                var entry = _latest with { Count = _pending };
                _pending = 0;
                return entry;
            }
        }

        /// <summary>Puts back refusals whose entry was not written, and lets the next refusal write one.</summary>
        public void GiveBack(int count)
        {
            lock (_lock)
            {
                _pending += count;
                _lastEntry = null;
            }
        }
    }
}

/// <summary>Flushes <see cref="RateLimitRefusals"/> every quarter period, and all of them when the gateway stops.</summary>
internal sealed class RateLimitRefusalFlusher(RateLimitRefusals refusals, ILogger<RateLimitRefusalFlusher> logger) : BackgroundService
{
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(all: true, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Why a real-time timer: the flush asks the journal's clock whether a period has passed; the timer only
        // decides how often it asks.
        using var timer = new PeriodicTimer(RateLimitRefusals.Period / 4);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync(all: false, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    private async Task FlushAsync(bool all, CancellationToken cancellationToken)
    {
        try
        {
            await refusals.FlushAsync(all, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The log is closing or the wait was cut short: the counts stay pending; they are lost only with the process.
            LogMessages.RefusalFlushFailed(logger, ex.GetType().Name);
        }
    }
}
