using System.Collections.Concurrent;
using Concordat.Agreements;

namespace Concordat.Gateway.Recipients;

/// <summary>
/// The egress streams under way, per recipient, and the recipients sealed by this process: a seal cancels every
/// stream of the recipient at once and refuses its next request before the store has even committed.
/// </summary>
internal sealed class StreamRegistry
{
    private readonly ConcurrentDictionary<PartyId, ConcurrentDictionary<long, CancellationTokenSource>> _streams = new();
    private readonly ConcurrentDictionary<PartyId, bool> _sealed = new();
    private long _next;

    /// <summary>Tells whether this process has sealed <paramref name="recipient"/> (the store is the authority across replicas).</summary>
    public bool IsSealed(PartyId recipient) => _sealed.ContainsKey(recipient);

    /// <summary>Marks a recipient sealed and cancels its streams; returns how many were stopped.</summary>
    public int Seal(PartyId recipient)
    {
        _sealed[recipient] = true;
        if (!_streams.TryGetValue(recipient, out var streams))
        {
            return 0;
        }

        var stopped = 0;
        foreach (var (_, source) in streams)
        {
            try
            {
                source.Cancel();
                stopped++;
            }
            catch (ObjectDisposedException)
            {
                // The stream ended between the enumeration and the cancel: nothing left to stop.
            }
        }

        return stopped;
    }

    /// <summary>Lifts this process's mark on <paramref name="recipient"/>.</summary>
    public void Unseal(PartyId recipient) => _sealed.TryRemove(recipient, out _);

    /// <summary>Registers a stream; dispose the handle when it ends.</summary>
    public Registration Register(PartyId recipient, CancellationToken requestAborted)
    {
        var id = Interlocked.Increment(ref _next);
        var source = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        var streams = _streams.GetOrAdd(recipient, _ => new ConcurrentDictionary<long, CancellationTokenSource>());
        streams[id] = source;

        // Invariant: a seal that lands between the caller's check and this registration still stops the stream.
        if (IsSealed(recipient))
        {
            source.Cancel();
        }

        return new Registration(this, recipient, id, source);
    }

    /// <summary>A registered stream: its cancellation token, cancelled by a seal or by the client going away.</summary>
    internal sealed class Registration(StreamRegistry owner, PartyId recipient, long id, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public bool IsStoppedBySeal => source.IsCancellationRequested && owner.IsSealed(recipient);

        public void Dispose()
        {
            if (owner._streams.TryGetValue(recipient, out var streams))
            {
                streams.TryRemove(id, out _);
            }

            source.Dispose();
        }
    }
}
