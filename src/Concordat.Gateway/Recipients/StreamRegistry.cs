using System.Collections.Concurrent;
using Concordat.Agreements;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Recipients;

/// <summary>
/// The egress streams under way, per recipient and token, and the recipients this process knows to be sealed: a seal
/// cancels every stream of the recipient at once and refuses its next request before the store has even committed;
/// a token revocation cancels the streams opened with that token.
/// </summary>
/// <remarks>
/// Seals and revocations reach this registry from this process's own API and, on PostgreSQL, from every other
/// replica through <see cref="RevocationListener"/>.
/// </remarks>
internal sealed class StreamRegistry
{
    /// <summary>Why a stream a seal stopped was stopped.</summary>
    public const string SealReason = "seal";

    private readonly ConcurrentDictionary<PartyId, ConcurrentDictionary<long, ActiveStream>> _streams = new();
    private readonly ConcurrentDictionary<PartyId, bool> _sealed = new();
    private readonly ConcurrentDictionary<PartyId, TaskCompletionSource> _sealEntries = new();
    private const string RevocationReason = "revocation";
    private long _next;

    /// <summary>Tells whether this process knows <paramref name="recipient"/> to be sealed (the store is the authority).</summary>
    public bool IsSealed(PartyId recipient) => _sealed.ContainsKey(recipient);

    /// <summary>Marks a recipient sealed and cancels its streams; returns how many were stopped.</summary>
    public int Seal(PartyId recipient)
    {
        _sealed[recipient] = true;
        return Stop(recipient, _ => true, SealReason);
    }

    /// <summary>
    /// Opens the wait of a seal this process makes: until the returned handle is disposed (once the seal's entry is
    /// logged), the egress entries of the streams the seal stops wait (<see cref="SealEntryWrittenAsync"/>), so the log
    /// shows the seal before what it stopped.
    /// </summary>
    public IDisposable BeginSealEntry(PartyId recipient)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = _sealEntries.GetOrAdd(recipient, written);
        return new SealEntryGate(this, recipient, previous == written ? written : null);
    }

    /// <summary>Completes when no seal of <paramref name="recipient"/> made here is waiting for its entry.</summary>
    public Task SealEntryWrittenAsync(PartyId recipient) =>
        _sealEntries.TryGetValue(recipient, out var written) ? written.Task : Task.CompletedTask;

    /// <summary>Lifts this process's mark on <paramref name="recipient"/>.</summary>
    public void Unseal(PartyId recipient) => _sealed.TryRemove(recipient, out _);

    /// <summary>Cancels the streams opened with a revoked token; returns how many were stopped.</summary>
    public int Revoke(PartyId recipient, TokenId token) => Stop(recipient, stream => stream.Token == token, RevocationReason);

    /// <summary>The recipients with a stream under way or a seal mark, for a check against the store.</summary>
    public IReadOnlyList<PartyId> KnownRecipients() =>
        [.. _streams.Where(pair => !pair.Value.IsEmpty).Select(pair => pair.Key).Union(_sealed.Keys)];

    /// <summary>The tokens with a stream under way, for a check against the store.</summary>
    public IReadOnlyList<(PartyId Recipient, TokenId Token)> StreamingTokens() =>
        [.. _streams.SelectMany(pair => pair.Value.Values.Select(stream => (pair.Key, stream.Token))).Distinct()];

    /// <summary>Registers a stream; dispose the handle when it ends.</summary>
    public Registration Register(PartyId recipient, TokenId token, CancellationToken requestAborted)
    {
        var id = Interlocked.Increment(ref _next);
        var stream = new ActiveStream(token, CancellationTokenSource.CreateLinkedTokenSource(requestAborted));
        var streams = _streams.GetOrAdd(recipient, _ => new ConcurrentDictionary<long, ActiveStream>());
        streams[id] = stream;

        // Invariant: a seal that lands between the caller's check and this registration still stops the stream.
        if (IsSealed(recipient))
        {
            stream.Stop(SealReason);
        }

        return new Registration(this, recipient, id, stream);
    }

    private int Stop(PartyId recipient, Func<ActiveStream, bool> which, string reason)
    {
        if (!_streams.TryGetValue(recipient, out var streams))
        {
            return 0;
        }

        var stopped = 0;
        foreach (var (_, stream) in streams)
        {
            if (which(stream) && stream.Stop(reason))
            {
                stopped++;
            }
        }

        return stopped;
    }

    private sealed class SealEntryGate(StreamRegistry owner, PartyId recipient, TaskCompletionSource? written) : IDisposable
    {
        public void Dispose()
        {
            // A second seal while the first waits shares the first's gate; only the first opens it.
            if (written is not null && owner._sealEntries.TryRemove(new KeyValuePair<PartyId, TaskCompletionSource>(recipient, written)))
            {
                written.TrySetResult();
            }
        }
    }

    /// <summary>A registered stream: its cancellation token, cancelled by a seal, a revocation or the client going away.</summary>
    internal sealed class Registration(StreamRegistry owner, PartyId recipient, long id, ActiveStream stream) : IDisposable
    {
        public CancellationToken Token => stream.Source.Token;

        /// <summary>Why the stream was stopped by the gateway (<c>seal</c>, <c>revocation</c>), or null when it was not.</summary>
        public string? StoppedBy => stream.Source.IsCancellationRequested ? stream.StoppedBy : null;

        public void Dispose()
        {
            if (owner._streams.TryGetValue(recipient, out var streams))
            {
                streams.TryRemove(id, out _);
            }

            stream.Source.Dispose();
        }
    }

    internal sealed class ActiveStream(TokenId token, CancellationTokenSource source)
    {
        private string? _stoppedBy;

        public TokenId Token => token;

        public CancellationTokenSource Source => source;

        /// <summary>The first reason the gateway gave to stop the stream, or null.</summary>
        public string? StoppedBy => Volatile.Read(ref _stoppedBy);

        /// <summary>Cancels the stream; returns false when it had ended already.</summary>
        public bool Stop(string reason)
        {
            Interlocked.CompareExchange(ref _stoppedBy, reason, null);
            try
            {
                source.Cancel();
                return true;
            }
            catch (ObjectDisposedException)
            {
                // The stream ended between the enumeration and the cancel: nothing left to stop.
                return false;
            }
        }
    }
}
