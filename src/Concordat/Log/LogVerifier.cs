using Concordat.Crypto;
using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// Verifies a stored log from its entries up: recomputes every leaf and interior hash from the stored entries,
/// compares each with the stored one, and checks every checkpoint in the history against the recomputed tree.
/// </summary>
/// <remarks>
/// <para>Verification only reads: it MUST NOT repair anything, so that what it reports is what is stored.
/// Memory is flat in the size of the log: entries and checkpoints are read a page at a time.</para>
/// <para>Every checkpoint's root is compared with the root recomputed from the entries at its tree size, so all
/// checkpoints commit to prefixes of one tree: each is consistent with every other, and with the latest.</para>
/// </remarks>
public static class LogVerifier
{
    /// <summary>Recomputes the tree from storage and reports the first problem, without checking checkpoints.</summary>
    /// <param name="storage">The log's storage.</param>
    /// <param name="cancellationToken">Cancels verification.</param>
    /// <returns>The outcome, naming the first bad entry or hash when there is one.</returns>
    public static Task<LogVerification> VerifyTreeAsync(ILogStorage storage, CancellationToken cancellationToken) =>
        VerifyAsync(storage, null, checkCheckpoints: false, cancellationToken);

    /// <summary>Recomputes the tree from storage and checks every checkpoint in the history against it.</summary>
    /// <param name="storage">The log's storage.</param>
    /// <param name="logKey">The log's verifier key: every checkpoint MUST be signed by it, with its name as origin.</param>
    /// <param name="cancellationToken">Cancels verification.</param>
    /// <returns>The outcome, naming the first bad entry, hash or checkpoint when there is one.</returns>
    public static Task<LogVerification> VerifyAsync(ILogStorage storage, NoteVerifierKey logKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logKey);
        return VerifyAsync(storage, logKey, checkCheckpoints: true, cancellationToken);
    }

    private static async Task<LogVerification> VerifyAsync(ILogStorage storage, NoteVerifierKey? logKey, bool checkCheckpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var size = await storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
        var checkpoints = new CheckpointCursor(storage, logKey, checkCheckpoints);
        var tree = new CompactMerkleTree();
        var nodes = new List<MerkleNode>(LogRightEdge.PageSize * 2);
        while (true)
        {
            // Invariant: every checkpoint of a size up to tree.Size has been compared with the recomputed root.
            var problem = await checkpoints.CheckUpToAsync(tree, size, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Fail(size, checkpoints.Checked, problem);
            }

            if (tree.Size == size)
            {
                break;
            }

            problem = await LogRightEdge.ExtendAsync(storage, tree, Math.Min(size, checkpoints.NextSize), nodes, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Fail(size, checkpoints.Checked, problem);
            }
        }

        var beyond = await storage.ReadEntriesAsync(size, 1, cancellationToken).ConfigureAwait(false);
        if (beyond.Count > 0)
        {
            return Fail(size, checkpoints.Checked, new LogProblem(LogErrorCodes.EntryBeyondTree, $"entry {beyond[0].Index} is stored beyond the tree size {size}", beyond[0].Index));
        }

        var signed = false;
        if (logKey is not null)
        {
            var record = await storage.ReadHistoryRecordAsync(cancellationToken).ConfigureAwait(false);
            var historyProblem = record is null ? null : CheckHistory(record, logKey, checkpoints.History);
            if (historyProblem is not null)
            {
                return Fail(size, checkpoints.Checked, historyProblem);
            }

            signed = record is not null;
        }

        return new LogVerification(size, tree.ComputeRoot(), checkpoints.Checked, null) { IsHistorySigned = signed };
    }

    /// <summary>Compares the history walked from storage with its signed record.</summary>
    /// <param name="record">The stored record, a signed note.</param>
    /// <param name="logKey">The log's verifier key.</param>
    /// <param name="walked">The record of the history as stored, computed while walking it.</param>
    /// <returns>Why they differ, or <see langword="null"/>.</returns>
    internal static LogProblem? CheckHistory(string record, NoteVerifierKey logKey, CheckpointHistory walked)
    {
        if (!CheckpointHistory.TryOpen(record, logKey, out var signed, out var error))
        {
            return new LogProblem(LogErrorCodes.HistoryChanged, error, null);
        }

        if (signed.Count != walked.Count || signed.LatestTreeSize != walked.LatestTreeSize)
        {
            return new LogProblem(
                LogErrorCodes.HistoryChanged,
                $"the signed checkpoint history holds {signed.Count} checkpoints up to tree size {signed.LatestTreeSize}, but the stored history holds {walked.Count} up to tree size {walked.LatestTreeSize}: checkpoints were removed or added",
                null);
        }

        return signed.Chain == walked.Chain
            ? null
            : new LogProblem(LogErrorCodes.HistoryChanged, $"the stored checkpoint history of {walked.Count} checkpoints does not hash to its signed record: a checkpoint was replaced", null);
    }

    private static LogVerification Fail(long size, long checkpointsChecked, LogProblem problem) => new(size, null, checkpointsChecked, problem);

    /// <summary>Walks the checkpoint history by increasing tree size, a page at a time.</summary>
    private sealed class CheckpointCursor(ILogStorage storage, NoteVerifierKey? logKey, bool enabled)
    {
        private readonly Queue<StoredCheckpoint> _page = new();
        private long _nextMin;
        private bool _exhausted = !enabled;

        public long Checked { get; private set; }

        /// <summary>Gets the record of the checkpoints checked so far, as they are stored.</summary>
        public CheckpointHistory History { get; private set; } = CheckpointHistory.Empty(logKey?.Name ?? "log");

        /// <summary>Gets the tree size of the next unchecked checkpoint, or <see cref="long.MaxValue"/>.</summary>
        public long NextSize => _page.TryPeek(out var next) ? next.TreeSize : long.MaxValue;

        public async Task<LogProblem?> CheckUpToAsync(CompactMerkleTree tree, long storedSize, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_page.Count == 0 && !_exhausted)
                {
                    var page = await storage.ReadCheckpointsAsync(_nextMin, LogRightEdge.PageSize, cancellationToken).ConfigureAwait(false);
                    _exhausted = page.Count < LogRightEdge.PageSize;
                    foreach (var stored in page)
                    {
                        _page.Enqueue(stored);
                        _nextMin = stored.TreeSize + 1;
                    }
                }

                if (!_page.TryPeek(out var next) || next.TreeSize > tree.Size)
                {
                    return next is not null && next.TreeSize > storedSize
                        ? new LogProblem(LogErrorCodes.EntriesRemoved, $"the checkpoint at tree size {next.TreeSize} is beyond the stored tree size {storedSize}: entries were removed", storedSize)
                        : null;
                }

                _page.Dequeue();
                Checked++;
                History = History.Add(next);
                var problem = LogRightEdge.Open(next, logKey, out var checkpoint);
                if (problem is not null)
                {
                    return problem;
                }

                var root = tree.ComputeRoot();
                if (checkpoint!.RootHash != root)
                {
                    return new LogProblem(
                        LogErrorCodes.LogRewritten,
                        $"the checkpoint at tree size {next.TreeSize} commits to root `{checkpoint.RootHash}` but the stored entries hash to `{root}`: the log was rewritten after it was signed",
                        null);
                }
            }
        }
    }
}
