using System.Threading.Channels;
using Concordat.Gateway.Journal;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// Wakes the detectors (<see cref="DetectionService"/>) when this replica made an entry they read durable, so they
/// read it from the log at once rather than at their next poll.
/// </summary>
/// <remarks>
/// Invariant: the request path never waits on detection: a signal is one flag, set without waiting, and signals given
/// while the detectors are reading coalesce into one more read. Nothing is kept per entry: the detectors read the
/// entries themselves, from the log.
/// </remarks>
internal sealed class DetectionSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Signals a durable entry; an entry the detectors do not read (decisions, egress, tokens issued, refusals) signals nothing.</summary>
    public void Offer(GatewayEntry entry)
    {
        if (entry is DecisionEntry or EgressEntry or TokenIssuedEntry or RefusalEntry)
        {
            _channel.Writer.TryWrite(true);
        }
    }

    /// <summary>Waits for a signal, at most <paramref name="period"/> of <paramref name="timeProvider"/>'s time.</summary>
    /// <returns><see langword="false"/> when the period ran out (time to poll for other replicas' entries).</returns>
    public async Task<bool> WaitAsync(TimeSpan period, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out _))
        {
            return true;
        }

        using var elapsed = new CancellationTokenSource(period, timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, elapsed.Token);
        try
        {
            return await _channel.Reader.WaitToReadAsync(either.Token).ConfigureAwait(false) && _channel.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
