using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Store;
using Concordat.Tiles;

namespace Concordat.Gateway.Transparency;

/// <summary>
/// The gateway's transparency log: opens the storage of the store engine and the log on it at start-up, appends
/// gateway entries, and signs checkpoints with the workspace's log key when the tree grew.
/// </summary>
/// <remarks>The gateway is the one writer of its log.</remarks>
internal sealed class LogHost(GatewayWorkspace workspace, IStoreEngine store, TimeProvider timeProvider, LogHostSeam? seam = null) : IGatewayLog, ILogReader, IAsyncDisposable
{
    private readonly LogHashCache _proofHashes = new();
    private ILogStorage? _storage;
    private TransparencyLog? _log;
    private LogCheckpoint? _latest;
    private int _disposed;

    /// <summary>Gets the opened storage, for readers of the whole log such as a forensic snapshot's export.</summary>
    public ILogStorage OpenStorage => Storage;

    private ILogStorage Storage => _storage ?? throw new InvalidOperationException("the log is not open yet");

    /// <summary>Opens the storage and the log on it.</summary>
    /// <returns>Why the log refuses to grow, or <see langword="null"/> when its right edge checks.</returns>
    public async Task<LogProblem?> OpenAsync(CancellationToken cancellationToken)
    {
        var storage = await store.OpenLogAsync(cancellationToken).ConfigureAwait(false);
        _storage = seam is null ? storage : seam.WrapStorage(storage);
        _log = await TransparencyLog.OpenAsync(_storage, timeProvider, workspace.LogKey, seam?.LogOptions, cancellationToken).ConfigureAwait(false);
        return _log.Damage;
    }

    public Task<LogAppendResult> AppendAsync(GatewayEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var log = _log ?? throw new InvalidOperationException("the log is not open yet");
        return log.AppendAsync(entry.ToLogEntry(), cancellationToken);
    }

    public async Task<LogCheckpoint> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        var size = await Storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _latest) is { } latest && latest.TreeSize == size)
        {
            return latest;
        }

        var log = _log ?? throw new InvalidOperationException("the log is not open yet");
        var outcome = await log.SignCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (outcome.Problem is { } problem)
        {
            // Security: fail closed; a stored tree that does not extend the last signed checkpoint is never signed
            // again, and the answer is the 503 of a log that refuses to grow, not an unexpected error.
            throw new LogDamagedException(new LogProblem(LogErrorCodes.RightEdgeDamaged, $"the log refuses to sign: {problem.Message} ({problem.Code})", problem.EntryIndex));
        }

        var signed = new LogCheckpoint(outcome.Checkpoint!.TreeSize, outcome.Checkpoint.RootHash.Bytes.ToArray(), outcome.Note!);
        Volatile.Write(ref _latest, signed);
        return signed;
    }

    public async Task<bool> IsCheckpointAsync(long treeSize, CancellationToken cancellationToken)
    {
        var found = await Storage.ReadCheckpointsAsync(treeSize, 1, cancellationToken).ConfigureAwait(false);
        return found.Count == 1 && found[0].TreeSize == treeSize;
    }

    public Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken) => Storage.ReadTreeSizeAsync(cancellationToken);

    public Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) =>
        Storage.ReadEntriesAsync(start, count, cancellationToken);

    public async Task<byte[]?> ReadTileAsync(TileAddress tile, CancellationToken cancellationToken)
    {
        // A tile within the checkpoint already signed needs no new one.
        var latest = Volatile.Read(ref _latest);
        if (latest is null || !TileLayout.Holds(tile, latest.TreeSize))
        {
            latest = await ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        }

        // Full tiles are read once: the tiles API keeps what it served (FullTileCache).
        return await LogTiles.ReadAsync(Storage, tile, latest.TreeSize, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<byte[]>> ProveInclusionAsync(long index, long treeSize, CancellationToken cancellationToken)
    {
        var proof = await MerkleProofs.CreateInclusionProofAsync(new LogHashSource(Storage, _proofHashes), index, treeSize, cancellationToken).ConfigureAwait(false);
        return proof.Select(h => h.Bytes.ToArray()).ToList();
    }

    public async Task<IReadOnlyList<byte[]>> ProveConsistencyAsync(long first, long second, CancellationToken cancellationToken)
    {
        var proof = await MerkleProofs.CreateConsistencyProofAsync(new LogHashSource(Storage, _proofHashes), first, second, cancellationToken).ConfigureAwait(false);
        return proof.Select(h => h.Bytes.ToArray()).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        // Invariant: the container disposes this instance once per registration (it serves three); close once.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_log is not null)
        {
            await _log.DisposeAsync().ConfigureAwait(false);
        }

        if (_storage is not null)
        {
            await _storage.DisposeAsync().ConfigureAwait(false);
        }

    }
}
