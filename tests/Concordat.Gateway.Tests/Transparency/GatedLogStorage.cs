using Concordat.Log;
using Concordat.Merkle;

namespace Concordat.Gateway.Tests.Transparency;

/// <summary>
/// Wraps the gateway's real log storage and, while closed, holds every commit back, so the log's queue fills and
/// the next append is pushed back; reads pass through.
/// </summary>
internal sealed class GatedLogStorage(ILogStorage inner) : ILogStorage
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _open = Opened();
    private MerkleNodeId? _damaged;

    /// <summary>Gets a task that completes once a commit is being held back.</summary>
    public Task Held => _held.Task;

    /// <summary>Holds back every commit from now on, until <see cref="Open"/>.</summary>
    public void Close() => Volatile.Write(ref _open, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Lets the held commits and every later one through.</summary>
    public void Open() => Volatile.Read(ref _open).TrySetResult();

    public async Task<bool> TryAppendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        var open = Volatile.Read(ref _open);
        if (!open.Task.IsCompleted)
        {
            _held.TrySetResult();
            await open.Task.WaitAsync(cancellationToken);
        }

        return await inner.TryAppendAsync(batch, cancellationToken);
    }

    public Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken) => inner.ReadTreeSizeAsync(cancellationToken);

    public Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long startIndex, int count, CancellationToken cancellationToken) =>
        inner.ReadEntriesAsync(startIndex, count, cancellationToken);

    /// <summary>Makes every later read of the hash of <paramref name="id"/> return other bytes, as a damaged store would.</summary>
    public void Damage(MerkleNodeId id) => _damaged = id;

    public async Task<IReadOnlyList<byte[]?>> ReadHashesAsync(IReadOnlyList<MerkleNodeId> ids, CancellationToken cancellationToken)
    {
        var hashes = await inner.ReadHashesAsync(ids, cancellationToken);
        if (_damaged is not { } damaged)
        {
            return hashes;
        }

        var copy = hashes.ToArray();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == damaged && copy[i] is { } hash)
            {
                copy[i] = [(byte)(hash[0] ^ 1), .. hash.AsSpan(1)];
            }
        }

        return copy;
    }

    public Task AddCheckpointAsync(StoredCheckpoint checkpoint, string? historyRecord, CancellationToken cancellationToken) =>
        inner.AddCheckpointAsync(checkpoint, historyRecord, cancellationToken);

    public Task<string?> ReadHistoryRecordAsync(CancellationToken cancellationToken) => inner.ReadHistoryRecordAsync(cancellationToken);

    public Task<StoredCheckpoint?> ReadLatestCheckpointAsync(CancellationToken cancellationToken) => inner.ReadLatestCheckpointAsync(cancellationToken);

    public Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(long minTreeSize, int count, CancellationToken cancellationToken) =>
        inner.ReadCheckpointsAsync(minTreeSize, count, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static TaskCompletionSource Opened()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
