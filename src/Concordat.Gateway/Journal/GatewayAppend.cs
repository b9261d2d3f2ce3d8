namespace Concordat.Gateway.Journal;

/// <summary>
/// The outcome of a gateway append: the durable index, or a pushback with the delay to tell the client.
/// </summary>
/// <param name="Index">The index assigned, or -1 for a pushback.</param>
/// <param name="RetryAfter">For a pushback, how long the client should wait.</param>
internal readonly record struct GatewayAppend(long Index, TimeSpan? RetryAfter)
{
    /// <summary>Gets a value indicating whether the log refused the entry.</summary>
    public bool IsPushback => RetryAfter is not null;
}
