using System.Collections.Concurrent;

namespace Concordat.Gateway.Security;

/// <summary>
/// When each rate limiter's fixed windows began, so that a 429's <c>Retry-After</c> is the time left in the caller's
/// window rather than the whole window (which the limiter itself reports).
/// </summary>
/// <remarks>
/// Invariant: a limiter's windows start when it is created and follow one another without gaps; the start is taken at
/// the same moment, from the gateway's clock.
/// </remarks>
internal sealed class RateLimitWindows(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _starts = new(StringComparer.Ordinal);

    /// <summary>Records that the limiter of <paramref name="key"/> starts its first window now.</summary>
    public void Start(string key) => _starts[key] = timeProvider.GetUtcNow();

    /// <summary>The whole seconds left in the current window of <paramref name="key"/> (at least 1), or <paramref name="fallback"/>'s when unknown.</summary>
    public int SecondsLeft(string key, TimeSpan window, TimeSpan fallback)
    {
        var left = fallback;
        if (_starts.TryGetValue(key, out var start) && window > TimeSpan.Zero)
        {
            var elapsed = (timeProvider.GetUtcNow() - start).Ticks;
            left = TimeSpan.FromTicks(window.Ticks - (((elapsed % window.Ticks) + window.Ticks) % window.Ticks));
        }

        return Math.Max(1, (int)Math.Ceiling(left.TotalSeconds));
    }
}
