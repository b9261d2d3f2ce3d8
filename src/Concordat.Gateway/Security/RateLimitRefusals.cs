using System.Collections.Concurrent;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Problems;

namespace Concordat.Gateway.Security;

/// <summary>
/// Logs the rate limiter's refusals (429) as refusal entries, aggregated: at most one entry per caller (the
/// rate limiter's partition: a recipient, or every caller that is not one) per <see cref="Period"/>, counting every
/// 429 of that caller since its previous entry.
/// </summary>
/// <remarks>
/// Why aggregate: a caller over its limit can send requests as fast as the network carries them, and one durable log
/// write per refused request would let it turn its flood into load on the log every other caller waits on (and grow
/// the log without bound). Aggregated, the 429s of a caller cost at most one write per period, and their number is
/// still on record. The 429s the entry does not stand for yet are counted in the caller's next rate-limit entry.
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
        var count = tally.Take(journal.Now);
        if (count == 0)
        {
            return Problem.Of(ProblemCode.RateLimited, detail);
        }

        var answer = await journal.RefuseAsync(context, ProblemCode.RateLimited, detail, caller, count: count).ConfigureAwait(false);
        if (answer.StatusCode != ProblemCode.RateLimited.Status)
        {
            // The log pushed back: nothing was written, so the refusals wait for the caller's next entry.
            tally.GiveBack(count);
        }

        return answer;
    }

    private sealed class Tally
    {
        private readonly Lock _lock = new();
        private DateTimeOffset? _lastEntry;
        private int _pending;

        /// <summary>Counts one refusal; returns how many the entry to write now stands for, or 0 when none is due.</summary>
        public int Take(DateTimeOffset now)
        {
            lock (_lock)
            {
                _pending++;
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
