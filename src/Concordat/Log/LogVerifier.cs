using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// Verifies a stored log from its entries up: recomputes every leaf and interior hash from the stored entries,
/// compares each with the stored one, and checks the checkpoint history against the recomputed roots.
/// </summary>
/// <remarks>
/// Verification only reads: it MUST NOT repair anything, so that what it reports is what is stored.
/// Memory is flat in the size of the log: entries are read a page at a time.
/// </remarks>
public static partial class LogVerifier
{
    private const int PageSize = 1024;

    /// <summary>Recomputes the tree from storage and reports the first problem.</summary>
    /// <param name="storage">The log's storage.</param>
    /// <param name="cancellationToken">Cancels verification.</param>
    /// <returns>The outcome, naming the first bad entry or hash when there is one.</returns>
    public static async Task<LogVerification> VerifyTreeAsync(ILogStorage storage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var size = await storage.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
        var frontier = new CompactMerkleTree();
        var nodes = new List<MerkleNode>(PageSize * 2);
        while (frontier.Size < size)
        {
            var start = frontier.Size;
            var count = (int)Math.Min(PageSize, size - start);
            var entries = await storage.ReadEntriesAsync(start, count, cancellationToken).ConfigureAwait(false);
            nodes.Clear();
            for (var i = 0; i < count; i++)
            {
                var expected = start + i;
                if (i >= entries.Count || entries[i].Index != expected)
                {
                    return Fail(size, new LogProblem("LOG4101", $"entry {expected} is missing from storage", expected));
                }

                frontier.Append(MerkleHash.OfLeaf(entries[i].Entry), nodes);
            }

            var stored = await storage.ReadHashesAsync([.. nodes.Select(n => n.Id)], cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < nodes.Count; i++)
            {
                var problem = CompareNode(nodes[i], stored[i]);
                if (problem is not null)
                {
                    return Fail(size, problem);
                }
            }
        }

        var beyond = await storage.ReadEntriesAsync(size, 1, cancellationToken).ConfigureAwait(false);
        if (beyond.Count > 0)
        {
            return Fail(size, new LogProblem("LOG4105", $"entry {beyond[0].Index} is stored beyond the tree size {size}", beyond[0].Index));
        }

        return new LogVerification(size, frontier.ComputeRoot(), 0, null);
    }

    private static LogVerification Fail(long size, LogProblem problem) => new(size, null, 0, problem);

    private static LogProblem? CompareNode(MerkleNode computed, byte[]? stored)
    {
        var id = computed.Id;
        if (stored is null)
        {
            return id.Level == 0
                ? new LogProblem("LOG4102", $"the leaf hash of entry {id.Index} is missing from storage", id.Index)
                : new LogProblem("LOG4102", $"the hash of node `{id}` over entries {id.Begin}..{id.End - 1} is missing from storage", id.Begin);
        }

        if (computed.Hash.Bytes.SequenceEqual(stored))
        {
            return null;
        }

        // A leaf mismatch means the entry or its stored leaf hash changed; an interior mismatch with matching
        // leaves means the stored interior hash changed.
        return id.Level == 0
            ? new LogProblem("LOG4103", $"entry {id.Index} does not match its stored leaf hash", id.Index)
            : new LogProblem("LOG4104", $"the stored hash of node `{id}` over entries {id.Begin}..{id.End - 1} does not match its entries", id.Begin);
    }
}
