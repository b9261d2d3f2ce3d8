using Concordat.Crypto;
using Concordat.Notes;

namespace Concordat.Log;

/// <content>Checkpoints: signing on demand and periodically, and refusing to sign a fork.</content>
public sealed partial class TransparencyLog
{
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private NoteSignerKey? _signerKey;
    private ITimer? _checkpointTimer;
    private long _lastCheckpointSize = -1;

    /// <summary>Gets the outcome of the latest periodic checkpoint, or <see langword="null"/> before the first.</summary>
    public CheckpointOutcome? LastPeriodicCheckpoint { get; private set; }

    /// <summary>
    /// Signs a C2SP checkpoint of the stored tree with the operator's log key (origin: the key's name), adds it to the
    /// history and signs the history's new record, after checking the stored tree against the latest checkpoint.
    /// </summary>
    /// <param name="cancellationToken">Cancels signing.</param>
    /// <returns>
    /// The signed checkpoint (the stored one when the tree has not grown since); or, when the latest stored checkpoint
    /// does not verify, the stored right edge does not hash to it (rewritten), the tree is smaller (truncated), an entry
    /// appended since does not match its stored hashes, or the history does not match its signed record, a refusal
    /// naming the problem: nothing is signed or stored then.
    /// </returns>
    /// <remarks>
    /// Security: every entry appended since the latest checkpoint is hashed again and compared with its stored hashes
    /// before its tree is signed, so a checkpoint never vouches for a stored entry that does not match its hash.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The log was opened without a signer key.</exception>
    public async Task<CheckpointOutcome> SignCheckpointAsync(CancellationToken cancellationToken)
    {
        var key = _signerKey ?? throw new InvalidOperationException("the log was opened without a log key, so it cannot sign checkpoints");
        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (tree, problem) = await LogRightEdge.LoadAsync(_storage, key.VerifierKey, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return new CheckpointOutcome(null, null, problem);
            }

            var latest = await _storage.ReadLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
            if (latest is not null && latest.TreeSize == tree!.Size && LogRightEdge.Open(latest, key.VerifierKey, out var signed) is null)
            {
                // The tree has not grown: the stored checkpoint is the one this key would sign (Ed25519 is deterministic).
                _lastCheckpointSize = latest.TreeSize;
                return new CheckpointOutcome(signed, latest.Note, null);
            }

            var (history, historyProblem) = await ReadHistoryAsync(key, latest, cancellationToken).ConfigureAwait(false);
            if (historyProblem is not null)
            {
                return new CheckpointOutcome(null, null, historyProblem);
            }

            var checkpoint = new Checkpoint(key.Name, tree!.Size, tree.ComputeRoot());
            var stored = new StoredCheckpoint(checkpoint.TreeSize, checkpoint.Sign(NoteSigner.ForEd25519(key)).ToString());
            await _storage.AddCheckpointAsync(stored, history!.Add(stored).Sign(key), cancellationToken).ConfigureAwait(false);
            _lastCheckpointSize = stored.TreeSize;
            return new CheckpointOutcome(checkpoint, stored.Note, null);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    /// <summary>
    /// Reads the signed record of the history and checks that it ends at <paramref name="latest"/>; for a log from before
    /// records, computes the record of the history as stored now.
    /// </summary>
    private async Task<(CheckpointHistory? History, LogProblem? Problem)> ReadHistoryAsync(NoteSignerKey key, StoredCheckpoint? latest, CancellationToken cancellationToken)
    {
        var record = await _storage.ReadHistoryRecordAsync(cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            var history = CheckpointHistory.Empty(key.Name);
            var next = 0L;
            while (true)
            {
                var page = await _storage.ReadCheckpointsAsync(next, LogRightEdge.PageSize, cancellationToken).ConfigureAwait(false);
                foreach (var stored in page)
                {
                    history = history.Add(stored);
                    next = stored.TreeSize + 1;
                }

                if (page.Count < LogRightEdge.PageSize)
                {
                    return (history, null);
                }
            }
        }

        if (!CheckpointHistory.TryOpen(record, key.VerifierKey, out var signed, out var error))
        {
            return (null, new LogProblem(LogErrorCodes.HistoryChanged, error, null));
        }

        var matches = signed.Count == 0 ? latest is null : signed.LatestTreeSize == latest?.TreeSize;
        return matches
            ? (signed, null)
            : (null, new LogProblem(LogErrorCodes.HistoryChanged, $"the signed checkpoint history ends at tree size {signed.LatestTreeSize} ({signed.Count} checkpoints), but the latest stored checkpoint is at tree size {latest?.TreeSize.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}", null));
    }

    private void StartCheckpointTimer(NoteSignerKey? signerKey, TimeSpan? interval)
    {
        _signerKey = signerKey;
        if (signerKey is not null && interval is { } period && period > TimeSpan.Zero)
        {
            _checkpointTimer = _timeProvider.CreateTimer(_ => _ = SignPeriodicCheckpointAsync(), null, period, period);
        }
    }

    private async Task SignPeriodicCheckpointAsync()
    {
        // A checkpoint is signed only when the tree has grown, so an idle log does not fill its history.
        if (Volatile.Read(ref _disposed) != 0 || _frontier.Size == _lastCheckpointSize)
        {
            return;
        }

        try
        {
            LastPeriodicCheckpoint = await SignCheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A timer callback has no caller: the failure is kept as the outcome instead of crashing the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LastPeriodicCheckpoint = new CheckpointOutcome(null, null, new LogProblem(LogErrorCodes.PeriodicCheckpointFailed, $"periodic checkpoint failed: {ex.Message}", null));
        }
    }
}
