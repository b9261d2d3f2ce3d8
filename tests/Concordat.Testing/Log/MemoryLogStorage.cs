using Concordat.Log;
using Concordat.Merkle;

namespace Concordat.Testing.Log;

/// <summary>
/// An in-memory <see cref="ILogStorage"/> for tests of code that logs (gateway, decisions). Not durable: it passes
/// the storage conformance suite except for durability, which only real engines can show.
/// </summary>
public sealed class MemoryLogStorage : ILogStorage
{
    private readonly Lock _gate = new();
    private readonly List<byte[]> _entries = [];
    private readonly Dictionary<MerkleNodeId, byte[]> _hashes = [];
    private readonly SortedDictionary<long, string> _checkpoints = [];
    private string? _historyRecord;

    /// <summary>Gets the number of batches committed.</summary>
    public long CommittedTransactions { get; private set; }

    public Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_entries.Count);
        }
    }

    public Task<bool> TryAppendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            if (batch.StartIndex != _entries.Count)
            {
                return Task.FromResult(false);
            }

            _entries.AddRange(batch.Entries.Select(e => e.ToArray()));
            foreach (var node in batch.Nodes)
            {
                _hashes[node.Id] = node.Hash.ToArray();
            }

            CommittedTransactions++;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long startIndex, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var result = new List<(long, byte[])>();
            for (var i = startIndex; i < Math.Min(_entries.Count, startIndex + count); i++)
            {
                result.Add((i, _entries[(int)i]));
            }

            return Task.FromResult<IReadOnlyList<(long, byte[])>>(result);
        }
    }

    public Task<IReadOnlyList<byte[]?>> ReadHashesAsync(IReadOnlyList<MerkleNodeId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<byte[]?>>([.. ids.Select(id => _hashes.GetValueOrDefault(id))]);
        }
    }

    public Task AddCheckpointAsync(StoredCheckpoint checkpoint, string? historyRecord, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        lock (_gate)
        {
            _checkpoints.TryAdd(checkpoint.TreeSize, checkpoint.Note);
            _historyRecord = historyRecord ?? _historyRecord;
            return Task.CompletedTask;
        }
    }

    public Task<string?> ReadHistoryRecordAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_historyRecord);
        }
    }

    /// <summary>Drops the signed record of the history, as in a log from before records.</summary>
    public void ForgetHistoryRecord()
    {
        lock (_gate)
        {
            _historyRecord = null;
        }
    }

    /// <summary>Removes a checkpoint from the history behind the log's back (for tamper tests).</summary>
    public void RemoveCheckpoint(long treeSize)
    {
        lock (_gate)
        {
            _checkpoints.Remove(treeSize);
        }
    }

    /// <summary>Changes a stored hash behind the log's back (for tamper tests).</summary>
    public void TamperHash(MerkleNodeId id, byte[] hash)
    {
        lock (_gate)
        {
            _hashes[id] = hash;
        }
    }

    public Task<StoredCheckpoint?> ReadLatestCheckpointAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_checkpoints.Count == 0 ? null : new StoredCheckpoint(_checkpoints.Keys.Last(), _checkpoints.Values.Last()));
        }
    }

    public Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(long minTreeSize, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<StoredCheckpoint>>(
                [.. _checkpoints.Where(c => c.Key >= minTreeSize).Take(count).Select(c => new StoredCheckpoint(c.Key, c.Value))]);
        }
    }

    /// <summary>Changes a stored entry behind the log's back (for tamper tests).</summary>
    public void Tamper(long index, byte[] entry)
    {
        lock (_gate)
        {
            _entries[(int)index] = entry;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
