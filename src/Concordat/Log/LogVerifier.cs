using System.Text;
using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;

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
    private const int PageSize = 1024;

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
        var nodes = new List<MerkleNode>(PageSize * 2);
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

            var start = tree.Size;
            var count = (int)Math.Min(Math.Min(PageSize, size - start), checkpoints.NextSize - start);
            var entries = await storage.ReadEntriesAsync(start, count, cancellationToken).ConfigureAwait(false);
            nodes.Clear();
            for (var i = 0; i < count; i++)
            {
                var expected = start + i;
                if (i >= entries.Count || entries[i].Index != expected)
                {
                    return Fail(size, checkpoints.Checked, new LogProblem(LogErrorCodes.EntryMissing, $"entry {expected} is missing from storage", expected));
                }

                tree.Append(MerkleHash.OfLeaf(entries[i].Entry), nodes);
            }

            var stored = await storage.ReadHashesAsync([.. nodes.Select(n => n.Id)], cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < nodes.Count; i++)
            {
                problem = CompareNode(nodes[i], stored[i]);
                if (problem is not null)
                {
                    return Fail(size, checkpoints.Checked, problem);
                }
            }
        }

        var beyond = await storage.ReadEntriesAsync(size, 1, cancellationToken).ConfigureAwait(false);
        if (beyond.Count > 0)
        {
            return Fail(size, checkpoints.Checked, new LogProblem(LogErrorCodes.EntryBeyondTree, $"entry {beyond[0].Index} is stored beyond the tree size {size}", beyond[0].Index));
        }

        return new LogVerification(size, tree.ComputeRoot(), checkpoints.Checked, null);
    }

    private static LogVerification Fail(long size, long checkpointsChecked, LogProblem problem) => new(size, null, checkpointsChecked, problem);

    private static LogProblem? CompareNode(MerkleNode computed, byte[]? stored)
    {
        var id = computed.Id;
        if (stored is null)
        {
            return id.Level == 0
                ? new LogProblem(LogErrorCodes.HashMissing, $"the leaf hash of entry {id.Index} is missing from storage", id.Index)
                : new LogProblem(LogErrorCodes.HashMissing, $"the hash of node `{id}` over entries {id.Begin}..{id.End - 1} is missing from storage", id.Begin);
        }

        if (computed.Hash.Bytes.SequenceEqual(stored))
        {
            return null;
        }

        // A leaf mismatch means the entry or its stored leaf hash changed; an interior mismatch with matching
        // leaves means the stored interior hash changed.
        return id.Level == 0
            ? new LogProblem(LogErrorCodes.EntryChanged, $"entry {id.Index} does not match its stored leaf hash", id.Index)
            : new LogProblem(LogErrorCodes.InteriorHashChanged, $"the stored hash of node `{id}` over entries {id.Begin}..{id.End - 1} does not match its entries", id.Begin);
    }

    /// <summary>Walks the checkpoint history by increasing tree size, a page at a time.</summary>
    private sealed class CheckpointCursor(ILogStorage storage, NoteVerifierKey? logKey, bool enabled)
    {
        private readonly Queue<StoredCheckpoint> _page = new();
        private long _nextMin;
        private bool _exhausted = !enabled;

        public long Checked { get; private set; }

        /// <summary>Gets the tree size of the next unchecked checkpoint, or <see cref="long.MaxValue"/>.</summary>
        public long NextSize => _page.TryPeek(out var next) ? next.TreeSize : long.MaxValue;

        public async Task<LogProblem?> CheckUpToAsync(CompactMerkleTree tree, long storedSize, CancellationToken cancellationToken)
        {
            while (true)
            {
                if (_page.Count == 0 && !_exhausted)
                {
                    var page = await storage.ReadCheckpointsAsync(_nextMin, PageSize, cancellationToken).ConfigureAwait(false);
                    _exhausted = page.Count < PageSize;
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
                var problem = Check(next, tree.ComputeRoot());
                if (problem is not null)
                {
                    return problem;
                }
            }
        }

        private LogProblem? Check(StoredCheckpoint stored, MerkleHash root)
        {
            var bytes = Encoding.UTF8.GetBytes(stored.Note);
            Checkpoint? checkpoint;
            if (logKey is not null)
            {
                if (!Checkpoint.TryOpen(bytes, [NoteVerifier.ForEd25519(logKey)], out checkpoint, out var verification, logKey.Name))
                {
                    return new LogProblem(LogErrorCodes.CheckpointInvalid, $"the checkpoint at tree size {stored.TreeSize} does not verify with the log key: {verification.Reason}", null);
                }
            }
            else if (!SignedNote.TryParse(bytes, out var note, out var error) || !Checkpoint.TryParse(note.Text, out checkpoint, out error))
            {
                return new LogProblem(LogErrorCodes.CheckpointInvalid, $"the checkpoint at tree size {stored.TreeSize} is malformed: {error}", null);
            }

            if (checkpoint.TreeSize != stored.TreeSize)
            {
                return new LogProblem(LogErrorCodes.CheckpointInvalid, $"the checkpoint stored at tree size {stored.TreeSize} is for tree size {checkpoint.TreeSize}", null);
            }

            return checkpoint.RootHash == root
                ? null
                : new LogProblem(
                    LogErrorCodes.LogRewritten,
                    $"the checkpoint at tree size {stored.TreeSize} commits to root `{checkpoint.RootHash}` but the stored entries hash to `{root}`: the log was rewritten after it was signed",
                    null);
        }
    }
}
