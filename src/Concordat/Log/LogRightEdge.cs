using System.Text;
using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Log;

/// <summary>
/// The checks that tie a stored log's right edge (the frontier hashes it is extended from) to what was signed: the
/// latest checkpoint's root recomputed from the stored frontier at its size, then every entry appended since hashed and
/// compared with its stored hashes. <see cref="TransparencyLog"/> runs them at start-up and before signing, and
/// <see cref="LogVerifier"/> shares the walk over stored entries.
/// </summary>
/// <remarks>
/// Why this is enough to extend the log: the frontier at the checkpoint's size hashes to the signed root, so (SHA-256
/// being collision resistant) it is the frontier of the signed tree; extending it by the hashes of the stored entries
/// since gives the frontier of the stored tree, and every stored hash on the way is compared with it. Damage away from
/// the right edge (an inner hash of a signed subtree) cannot spread by appending and is named by <c>log verify</c>.
/// The cost is one batched read of at most 63 hashes and the hashing of the entries appended since the checkpoint.
/// </remarks>
internal static class LogRightEdge
{
    /// <summary>Entries read and hashed per storage round trip.</summary>
    internal const int PageSize = 1024;

    /// <summary>Reads the stored tree's right edge and checks it against the latest checkpoint and the entries since.</summary>
    /// <param name="storage">The log's storage.</param>
    /// <param name="key">The log's verifier key; <see langword="null"/> reads the checkpoint without checking its signature.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The checked right edge of the stored tree, or the first problem found.</returns>
    public static async Task<(CompactMerkleTree? Tree, LogProblem? Problem)> LoadAsync(ILogStorage storage, NoteVerifierKey? key, CancellationToken cancellationToken)
    {
        var size = await storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
        var latest = await storage.ReadLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        var tree = new CompactMerkleTree();
        if (latest is not null)
        {
            var problem = Open(latest, key, out var checkpoint);
            if (problem is not null)
            {
                return (null, problem);
            }

            if (checkpoint!.TreeSize > size)
            {
                // Security: a tree smaller than a signed checkpoint means signed entries were removed.
                return (null, new LogProblem(LogErrorCodes.EntriesRemoved, $"the checkpoint at tree size {checkpoint.TreeSize} is beyond the stored tree size {size}: entries were removed", size));
            }

            var ids = CompactMerkleTree.GetFrontierIds(checkpoint.TreeSize);
            var stored = await storage.ReadHashesAsync(ids, cancellationToken).ConfigureAwait(false);
            var frontier = new MerkleHash[ids.Count];
            for (var i = 0; i < ids.Count; i++)
            {
                if (stored[i] is not { } bytes || !MerkleHash.TryFromBytes(bytes, out frontier[i]))
                {
                    return (null, new LogProblem(LogErrorCodes.HashMissing, $"the hash of node `{ids[i]}` on the right edge at tree size {checkpoint.TreeSize} is missing or malformed", ids[i].Begin));
                }
            }

            tree = CompactMerkleTree.FromFrontier(checkpoint.TreeSize, frontier);
            var root = tree.ComputeRoot();
            if (root != checkpoint.RootHash)
            {
                return (null, new LogProblem(
                    LogErrorCodes.LogRewritten,
                    $"the stored right edge at tree size {checkpoint.TreeSize} hashes to root `{root}` but the checkpoint at that size commits to `{checkpoint.RootHash}`: the log was changed after it was signed",
                    null));
            }
        }

        var extended = await ExtendAsync(storage, tree, size, new List<MerkleNode>(PageSize * 2), cancellationToken).ConfigureAwait(false);
        return extended is null ? (tree, null) : (null, extended);
    }

    /// <summary>
    /// Extends <paramref name="tree"/> to <paramref name="end"/> with the hashes of the stored entries, comparing every
    /// node completed on the way with the stored hash of that node.
    /// </summary>
    /// <param name="storage">The log's storage.</param>
    /// <param name="tree">The trusted tree, extended in place.</param>
    /// <param name="end">The tree size to reach.</param>
    /// <param name="nodes">Scratch space for the completed nodes.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The first entry or hash that does not match, or <see langword="null"/>.</returns>
    public static async Task<LogProblem?> ExtendAsync(ILogStorage storage, CompactMerkleTree tree, long end, List<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        while (tree.Size < end)
        {
            var start = tree.Size;
            var count = (int)Math.Min(PageSize, end - start);
            var entries = await storage.ReadEntriesAsync(start, count, cancellationToken).ConfigureAwait(false);
            nodes.Clear();
            for (var i = 0; i < count; i++)
            {
                var expected = start + i;
                if (i >= entries.Count || entries[i].Index != expected)
                {
                    return new LogProblem(LogErrorCodes.EntryMissing, $"entry {expected} is missing from storage", expected);
                }

                tree.Append(MerkleHash.OfLeaf(entries[i].Entry), nodes);
            }

            var stored = await storage.ReadHashesAsync([.. nodes.Select(n => n.Id)], cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < nodes.Count; i++)
            {
                var problem = Compare(nodes[i], stored[i]);
                if (problem is not null)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Compares the stored frontier of <paramref name="tree"/>'s size with <paramref name="tree"/>'s own: one batched
    /// read of at most 63 hashes and no hashing, cheap enough before every commit.
    /// </summary>
    /// <param name="storage">The log's storage.</param>
    /// <param name="tree">The right edge the log checked and has extended since.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The first frontier hash that differs, or <see langword="null"/>.</returns>
    public static async Task<LogProblem?> CompareStoredFrontierAsync(ILogStorage storage, CompactMerkleTree tree, CancellationToken cancellationToken)
    {
        var ids = CompactMerkleTree.GetFrontierIds(tree.Size);
        var stored = await storage.ReadHashesForWriterAsync(ids, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
        {
            var problem = Compare(new MerkleNode(ids[i], tree.Frontier[i]), stored[i]);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>Makes the refusal of a log that found <paramref name="cause"/> on its right edge.</summary>
    /// <param name="cause">What was found.</param>
    /// <returns>A problem of <see cref="LogErrorCodes.RightEdgeDamaged"/> naming the cause.</returns>
    public static LogProblem Refusal(LogProblem cause) =>
        new(LogErrorCodes.RightEdgeDamaged, $"the log refuses to grow: {cause.Message} ({cause.Code})", cause.EntryIndex);

    /// <summary>Opens a stored checkpoint: with the log key when given, else only parsed.</summary>
    /// <param name="stored">The stored checkpoint.</param>
    /// <param name="key">The log's verifier key, or <see langword="null"/>.</param>
    /// <param name="checkpoint">The checkpoint, when it opens.</param>
    /// <returns>Why it does not open, or <see langword="null"/>.</returns>
    public static LogProblem? Open(StoredCheckpoint stored, NoteVerifierKey? key, out Checkpoint? checkpoint)
    {
        var bytes = Encoding.UTF8.GetBytes(stored.Note);
        if (key is not null)
        {
            if (!Checkpoint.TryOpen(bytes, [NoteVerifier.ForEd25519(key)], out checkpoint, out var verification, key.Name))
            {
                return new LogProblem(LogErrorCodes.CheckpointInvalid, $"the checkpoint at tree size {stored.TreeSize} does not verify with the log key: {verification.Reason}", null);
            }
        }
        else if (!SignedNote.TryParse(bytes, out var note, out var error) || !Checkpoint.TryParse(note.Text, out checkpoint, out error))
        {
            checkpoint = null;
            return new LogProblem(LogErrorCodes.CheckpointInvalid, $"the checkpoint at tree size {stored.TreeSize} is malformed: {error}", null);
        }

        return checkpoint.TreeSize == stored.TreeSize
            ? null
            : new LogProblem(LogErrorCodes.CheckpointInvalid, $"the checkpoint stored at tree size {stored.TreeSize} is for tree size {checkpoint.TreeSize}", null);
    }

    /// <summary>Compares a node computed from the entries with its stored hash.</summary>
    /// <param name="computed">The node as computed.</param>
    /// <param name="stored">The stored bytes, or <see langword="null"/> when none are stored.</param>
    /// <returns>The problem, naming the entry or node, or <see langword="null"/> when they match.</returns>
    public static LogProblem? Compare(MerkleNode computed, byte[]? stored)
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
}
