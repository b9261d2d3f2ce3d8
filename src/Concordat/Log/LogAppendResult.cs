namespace Concordat.Log;

/// <summary>
/// The outcome of an append: the durably assigned index, or pushback when the log cannot keep up.
/// </summary>
/// <remarks>
/// A pushback is an expected outcome, not an error: the entry was NOT logged. An HTTP front end MUST reply
/// 503 Service Unavailable with a <c>Retry-After</c> header of <see cref="RetryAfter"/>; other callers retry
/// after that delay or give up. Callers MUST NOT treat a pushed-back entry as logged.
/// </remarks>
public readonly record struct LogAppendResult
{
    private readonly long _index;

    private LogAppendResult(long index, TimeSpan retryAfter, bool isPushback)
    {
        _index = index;
        RetryAfter = retryAfter;
        IsPushback = isPushback;
    }

    /// <summary>Gets a value indicating whether the log refused the entry because its queue is full.</summary>
    public bool IsPushback { get; }

    /// <summary>Gets how long to wait before retrying a pushed-back entry; zero for an appended one.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Gets the durably assigned index of the entry.</summary>
    /// <exception cref="InvalidOperationException">The entry was pushed back, so it has no index.</exception>
    public long Index => IsPushback
        ? throw new InvalidOperationException("a pushed-back entry was not logged and has no index")
        : _index;

    /// <summary>Makes the outcome of an entry logged at <paramref name="index"/>.</summary>
    /// <param name="index">The durably assigned index.</param>
    /// <returns>The outcome.</returns>
    public static LogAppendResult Appended(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new LogAppendResult(index, TimeSpan.Zero, isPushback: false);
    }

    /// <summary>Makes a pushback outcome: reply 503 with <c>Retry-After</c>.</summary>
    /// <param name="retryAfter">How long the caller should wait before retrying.</param>
    /// <returns>The outcome.</returns>
    public static LogAppendResult Pushback(TimeSpan retryAfter) => new(-1, retryAfter, isPushback: true);

    /// <summary>Renders the outcome for diagnostics.</summary>
    /// <returns><c>appended at I</c> or <c>pushback: retry after S s</c>.</returns>
    public override string ToString() =>
        IsPushback ? $"pushback: retry after {RetryAfter.TotalSeconds} s" : $"appended at {_index}";
}
