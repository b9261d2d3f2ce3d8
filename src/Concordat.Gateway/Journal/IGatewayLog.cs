using Concordat.Log;

namespace Concordat.Gateway.Journal;

/// <summary>
/// Where the gateway writes its entries: the transparency log (a test seam: tests put a log that pushes back here).
/// </summary>
/// <remarks>
/// <para><see cref="AppendAsync"/> MUST complete only once the entry is durable; callers MUST NOT act on an entry
/// (send a byte, issue a token) before it completes with an index.</para>
/// <para>A pushback is not an error: the entry was not logged, and the HTTP answer is 503 with Retry-After.</para>
/// </remarks>
internal interface IGatewayLog
{
    /// <summary>Appends one entry and waits until it is durable.</summary>
    Task<LogAppendResult> AppendAsync(GatewayEntry entry, CancellationToken cancellationToken);
}
