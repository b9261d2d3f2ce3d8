using System.Threading.Channels;
using Concordat.Gateway.Journal;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// The bounded queue between the journal and the detectors: every durable entry the detectors read is offered here as
/// it is appended, and one background reader (<see cref="DetectionService"/>) takes them in order.
/// </summary>
/// <remarks>
/// <para>Invariant: the request path never waits on detection: an offer to a full queue drops the entry and counts it
/// (the log itself stays complete; the drop is logged by the reader). Memory is bounded by <see cref="Capacity"/>
/// entries, never by the log.</para>
/// <para>Only the entries the detectors read are queued (decisions, egress, tokens issued, refusals).</para>
/// </remarks>
internal sealed class DetectionQueue
{
    /// <summary>The most entries waiting for the detectors.</summary>
    public const int Capacity = 65_536;

    private readonly Channel<GatewayEntry> _channel = Channel.CreateBounded<GatewayEntry>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        SingleWriter = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _dropped;

    /// <summary>Gets the reader's end.</summary>
    public ChannelReader<GatewayEntry> Reader => _channel.Reader;

    /// <summary>Offers a durable entry; an entry the detectors do not read is ignored, and a full queue drops it.</summary>
    public void Offer(GatewayEntry entry)
    {
        if (entry is DecisionEntry or EgressEntry or TokenIssuedEntry or RefusalEntry && !_channel.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Returns how many entries were dropped since the last call, and starts counting again.</summary>
    public long TakeDropped() => Interlocked.Exchange(ref _dropped, 0);

    /// <summary>Ends the queue: the reader finishes what is queued and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
