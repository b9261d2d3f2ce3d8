using System.Text.Json;
using System.Threading.Channels;
using Concordat.Crypto;
using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// The append-only transparency log: sequences appends with group commit, integrates them into an RFC 6962
/// Merkle tree whose subtree hashes are stored, and signs checkpoints.
/// </summary>
/// <remarks>
/// <para>Concurrent appends wait in a bounded queue; one writer drains everything queued into a single storage
/// transaction (group commit), so one durable commit acknowledges many entries. When the queue is full an append
/// returns <see cref="LogAppendResult.Pushback"/> at once instead of waiting.</para>
/// <para>Callers MUST NOT treat an entry as logged before its append task completes with an index.</para>
/// <para>One process owns a log's storage for writing; on PostgreSQL several instances may share one database,
/// and the storage's head check keeps them from forking the tree.</para>
/// </remarks>
public sealed partial class TransparencyLog : IAsyncDisposable
{
    private readonly ILogStorage _storage;
    private readonly TimeProvider _timeProvider;
    private readonly TransparencyLogOptions _options;
    private readonly Channel<PendingAppend> _queue;
    private readonly Task _writer;
    private CompactMerkleTree? _frontier;
    private int _disposed;

    private TransparencyLog(ILogStorage storage, TimeProvider timeProvider, TransparencyLogOptions options, CompactMerkleTree frontier)
    {
        _storage = storage;
        _timeProvider = timeProvider;
        _options = options;
        _frontier = frontier;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>Opens a log over <paramref name="storage"/>, reading the stored tree's right edge.</summary>
    /// <param name="storage">The log's storage; the caller keeps ownership and disposes it after the log.</param>
    /// <param name="timeProvider">The clock that stamps entries.</param>
    /// <param name="options">Queue and batch sizes; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open log; it cannot sign checkpoints.</returns>
    /// <exception cref="InvalidDataException">A hash of the stored tree's right edge is missing or malformed.</exception>
    public static Task<TransparencyLog> OpenAsync(
        ILogStorage storage, TimeProvider timeProvider, TransparencyLogOptions? options, CancellationToken cancellationToken) =>
        OpenAsync(storage, timeProvider, null, options, cancellationToken);

    /// <summary>Opens a log over <paramref name="storage"/> that signs checkpoints with the operator's log key.</summary>
    /// <param name="storage">The log's storage; the caller keeps ownership and disposes it after the log.</param>
    /// <param name="timeProvider">The clock that stamps entries and drives periodic checkpoints.</param>
    /// <param name="signerKey">The operator's log key; its name is the log's origin. <see langword="null"/>: no signing.</param>
    /// <param name="options">Queue, batch and checkpoint settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open log.</returns>
    /// <exception cref="InvalidDataException">A hash of the stored tree's right edge is missing or malformed.</exception>
    public static async Task<TransparencyLog> OpenAsync(
        ILogStorage storage, TimeProvider timeProvider, NoteSignerKey? signerKey, TransparencyLogOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= new TransparencyLogOptions();
        options.Validate();
        var frontier = await LoadFrontierAsync(storage, cancellationToken).ConfigureAwait(false);
        var log = new TransparencyLog(storage, timeProvider, options, frontier);
        log.StartCheckpointTimer(signerKey, options.CheckpointInterval);
        return log;
    }

    /// <summary>Gets the clock this log stamps entries with.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Appends an entry of <paramref name="type"/>, stamped with this log's clock, and waits until it is durably logged.</summary>
    /// <param name="type">A versioned entry type such as <c>decision/v1</c>.</param>
    /// <param name="body">The body; it MUST NOT carry personal data (see <see cref="LogEntry"/>).</param>
    /// <param name="cancellationToken">
    /// Stops waiting; an entry already queued may still be logged, so a cancelled append MUST be treated as
    /// neither logged nor not logged.
    /// </param>
    /// <returns>
    /// The index assigned after the commit, or <see cref="LogAppendResult.Pushback"/> when the queue is full
    /// (reply 503 with Retry-After). Callers MUST NOT treat the entry as logged before the task completes.
    /// </returns>
    /// <exception cref="ArgumentException">The type is not versioned or the entry is too large.</exception>
    /// <exception cref="FormatException">The body is not I-JSON.</exception>
    /// <exception cref="ObjectDisposedException">The log is disposed.</exception>
    public Task<LogAppendResult> AppendAsync(string type, JsonElement body, CancellationToken cancellationToken) =>
        AppendAsync(LogEntry.Create(type, _timeProvider.GetUtcNow(), body), cancellationToken);

    /// <summary>Appends an entry and waits until it is durably logged.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">
    /// Stops waiting; an entry already queued may still be logged, so a cancelled append MUST be treated as
    /// neither logged nor not logged.
    /// </param>
    /// <returns>
    /// The index assigned after the commit, or <see cref="LogAppendResult.Pushback"/> when the queue is full
    /// (reply 503 with Retry-After). Callers MUST NOT treat the entry as logged before the task completes.
    /// </returns>
    /// <exception cref="ObjectDisposedException">The log is disposed.</exception>
    public Task<LogAppendResult> AppendAsync(LogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendCanonicalAsync(entry.CanonicalBytes, cancellationToken);
    }

    /// <summary>Appends canonical entry bytes and waits until they are durably logged.</summary>
    /// <param name="canonicalEntry">The canonical bytes of the entry; the log keeps a reference until it commits.</param>
    /// <param name="cancellationToken">
    /// Stops waiting; an entry already queued may still be logged, so a cancelled append MUST be treated as
    /// neither logged nor not logged.
    /// </param>
    /// <returns>The index assigned after the commit, or a pushback when the queue is full.</returns>
    /// <exception cref="ObjectDisposedException">The log is disposed.</exception>
    internal Task<LogAppendResult> AppendCanonicalAsync(ReadOnlyMemory<byte> canonicalEntry, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // The leaf hash is computed on the caller's thread, so hashing spreads over every appender.
        var pending = new PendingAppend(canonicalEntry, MerkleHash.OfLeaf(canonicalEntry.Span));
        if (!_queue.Writer.TryWrite(pending))
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return Task.FromResult(LogAppendResult.Pushback(TimeSpan.FromSeconds(_options.RetryAfterSeconds)));
        }

        return cancellationToken.CanBeCanceled ? pending.Completion.Task.WaitAsync(cancellationToken) : pending.Completion.Task;
    }

    /// <summary>Stops accepting appends, commits everything queued and stops the writer.</summary>
    /// <returns>A task that completes when the writer has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_checkpointTimer is not null)
        {
            await _checkpointTimer.DisposeAsync().ConfigureAwait(false);
        }

        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);

        // Wait for a checkpoint being signed, so that nothing touches the storage after the log is disposed.
        await _checkpointGate.WaitAsync().ConfigureAwait(false);
        _checkpointGate.Release();
    }

    private static async Task<CompactMerkleTree> LoadFrontierAsync(ILogStorage storage, CancellationToken cancellationToken)
    {
        var size = await storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
        var ids = CompactMerkleTree.GetFrontierIds(size);
        var hashes = new MerkleHash[ids.Count];

        // Security: fail closed; a log whose right edge is missing must not be extended, it must be verified.
        await new LogHashSource(storage).ReadNodeHashesAsync(ids, hashes, cancellationToken).ConfigureAwait(false);
        return CompactMerkleTree.FromFrontier(size, hashes);
    }

    private async Task RunWriterAsync()
    {
        var reader = _queue.Reader;
        var pending = new List<PendingAppend>(Math.Min(_options.MaxBatchSize, 1024));
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Let the appenders woken by the last commit queue their next entries first, so the batch takes in
            // everyone who is ready instead of alternating between two half batches.
            await Task.Yield();
            while (pending.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                pending.Add(item);
            }

            try
            {
                var first = await CommitAsync(pending).ConfigureAwait(false);
                for (var i = 0; i < pending.Count; i++)
                {
                    pending[i].Completion.TrySetResult(LogAppendResult.Appended(first + i));
                }
            }
#pragma warning disable CA1031 // The writer must outlive a failed commit: the failure goes to every waiting appender.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // Invariant: after a failed commit the in-memory right edge may be ahead of storage; reload it.
                _frontier = null;
                foreach (var item in pending)
                {
                    item.Completion.TrySetException(ex);
                }
            }

            pending.Clear();
        }
    }

    private async Task<long> CommitAsync(List<PendingAppend> pending)
    {
        while (true)
        {
            var frontier = _frontier ??= await LoadFrontierAsync(_storage, CancellationToken.None).ConfigureAwait(false);
            var next = CompactMerkleTree.FromFrontier(frontier.Size, frontier.Frontier);
            var nodes = new List<MerkleNode>((pending.Count * 2) + 64);
            var entries = new ReadOnlyMemory<byte>[pending.Count];
            for (var i = 0; i < pending.Count; i++)
            {
                entries[i] = pending[i].Entry;
                next.Append(pending[i].LeafHash, nodes);
            }

            var batch = new LogBatch(frontier.Size, entries, nodes);
            if (await _storage.TryAppendAsync(batch, CancellationToken.None).ConfigureAwait(false))
            {
                _frontier = next;
                return batch.StartIndex;
            }

            // Another writer on the same database appended first: re-read its right edge and integrate again.
            _frontier = null;
        }
    }

    private sealed class PendingAppend(ReadOnlyMemory<byte> entry, MerkleHash leafHash)
    {
        public ReadOnlyMemory<byte> Entry { get; } = entry;

        public MerkleHash LeafHash { get; } = leafHash;

        public TaskCompletionSource<LogAppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
