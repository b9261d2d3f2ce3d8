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
/// <para>Security: the log extends only a right edge it has checked. Opening checks the stored right edge against the
/// latest checkpoint and the entries appended since (see <see cref="LogRightEdge"/>); before each batch commits, the
/// stored right edge is compared with the one the log holds (one batched read, no hashing). When either check fails
/// the log refuses to grow: <see cref="Damage"/> says why, and every append fails with
/// <see cref="LogDamagedException"/>.</para>
/// </remarks>
public sealed partial class TransparencyLog : IAsyncDisposable
{
    private readonly ILogStorage _storage;
    private readonly TimeProvider _timeProvider;
    private readonly TransparencyLogOptions _options;
    private readonly Channel<PendingAppend> _queue;
    private readonly Task _writer;
    private CompactMerkleTree _frontier;
    private bool _reload;
    private LogProblem? _damage;
    private int _disposed;

    private TransparencyLog(ILogStorage storage, TimeProvider timeProvider, TransparencyLogOptions options, CompactMerkleTree frontier, LogProblem? damage)
    {
        _storage = storage;
        _timeProvider = timeProvider;
        _options = options;
        _frontier = frontier;
        _damage = damage;
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
    /// <returns>The open log; it cannot sign checkpoints. When its right edge does not check, it refuses to grow (<see cref="Damage"/>).</returns>
    /// <exception cref="InvalidDataException">The storage has no tree size.</exception>
    public static Task<TransparencyLog> OpenAsync(
        ILogStorage storage, TimeProvider timeProvider, TransparencyLogOptions? options, CancellationToken cancellationToken) =>
        OpenAsync(storage, timeProvider, null, options, cancellationToken);

    /// <summary>Opens a log over <paramref name="storage"/> that signs checkpoints with the operator's log key.</summary>
    /// <param name="storage">The log's storage; the caller keeps ownership and disposes it after the log.</param>
    /// <param name="timeProvider">The clock that stamps entries and drives periodic checkpoints.</param>
    /// <param name="signerKey">The operator's log key; its name is the log's origin. <see langword="null"/>: no signing.</param>
    /// <param name="options">Queue, batch and checkpoint settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open log. When its right edge does not check, it refuses to grow (<see cref="Damage"/>).</returns>
    /// <exception cref="InvalidDataException">The storage has no tree size.</exception>
    public static async Task<TransparencyLog> OpenAsync(
        ILogStorage storage, TimeProvider timeProvider, NoteSignerKey? signerKey, TransparencyLogOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= new TransparencyLogOptions();
        options.Validate();
        var (tree, problem) = await LogRightEdge.LoadAsync(storage, signerKey?.VerifierKey, cancellationToken).ConfigureAwait(false);
        var log = new TransparencyLog(storage, timeProvider, options, tree ?? new CompactMerkleTree(), problem is null ? null : LogRightEdge.Refusal(problem));
        log.StartCheckpointTimer(signerKey, options.CheckpointInterval);
        return log;
    }

    /// <summary>
    /// Gets why the log refuses to grow (<see cref="LogErrorCodes.RightEdgeDamaged"/>), or <see langword="null"/> while
    /// its right edge checks. A host SHOULD report it when the log opens, to its own console, never to the log.
    /// </summary>
    public LogProblem? Damage => Volatile.Read(ref _damage);

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
    /// <exception cref="LogDamagedException">The log refuses to grow: nothing was appended (the task fails with it).</exception>
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
        if (Volatile.Read(ref _damage) is { } damage)
        {
            return Task.FromException<LogAppendResult>(new LogDamagedException(damage));
        }

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
                // Invariant: after a failed commit storage may or may not hold the batch; re-read its right edge.
                _reload = true;
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
            // Security: fail closed; a right edge that changed under the log must not be extended, it must be verified.
            var problem = Volatile.Read(ref _damage) ?? await CheckRightEdgeAsync().ConfigureAwait(false);
            if (problem is not null)
            {
                Volatile.Write(ref _damage, problem);
                throw new LogDamagedException(problem);
            }

            var frontier = _frontier;
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
            _reload = true;
        }
    }

    /// <summary>
    /// Compares the stored right edge with the one this log holds; after another writer appended (or a commit failed
    /// without telling whether it committed), extends the log's right edge by the stored entries since.
    /// </summary>
    /// <returns>The refusal when the right edge does not check, or <see langword="null"/>.</returns>
    private async Task<LogProblem?> CheckRightEdgeAsync()
    {
        var problem = await LogRightEdge.CompareStoredFrontierAsync(_storage, _frontier, CancellationToken.None).ConfigureAwait(false);
        if (problem is not null || !_reload)
        {
            return problem is null ? null : LogRightEdge.Refusal(problem);
        }

        var size = await _storage.ReadTreeSizeAsync(CancellationToken.None).ConfigureAwait(false);
        if (size < _frontier.Size)
        {
            return LogRightEdge.Refusal(new LogProblem(LogErrorCodes.EntriesRemoved, $"the stored tree size {size} is below the {_frontier.Size} entries this log checked: entries were removed", size));
        }

        var tree = CompactMerkleTree.FromFrontier(_frontier.Size, _frontier.Frontier);
        problem = await LogRightEdge.ExtendAsync(_storage, tree, size, [], CancellationToken.None).ConfigureAwait(false);
        if (problem is not null)
        {
            return LogRightEdge.Refusal(problem);
        }

        _frontier = tree;
        _reload = false;
        return null;
    }

    private sealed class PendingAppend(ReadOnlyMemory<byte> entry, MerkleHash leafHash)
    {
        public ReadOnlyMemory<byte> Entry { get; } = entry;

        public MerkleHash LeafHash { get; } = leafHash;

        public TaskCompletionSource<LogAppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
