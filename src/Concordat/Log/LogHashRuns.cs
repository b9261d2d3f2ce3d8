using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// Cuts a batch's node hashes into runs: hashes of consecutive stored indices (<see cref="MerkleNodeId.StoredIndex"/>),
/// in order, at most a given number per run, so that a hash's place in its run follows from its id. Both storage
/// engines store one run per row, and read them back with <see cref="LogHashLookup"/>.
/// </summary>
/// <remarks>For <see cref="ILogStorage"/> engines; a verifier never needs it.</remarks>
public static class LogHashRuns
{
    /// <summary>Returns the runs of <paramref name="nodes"/>.</summary>
    /// <param name="nodes">A batch's nodes, as <see cref="LogBatch.Nodes"/> gives them.</param>
    /// <param name="maxPerRun">The most hashes in one run.</param>
    /// <returns>The runs, in the order of the nodes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="nodes"/> is null.</exception>
    /// <remarks>
    /// A log's batch is one run (it appends hashes in stored-index order), cut every <paramref name="maxPerRun"/>
    /// hashes; nodes given in another order still round-trip, as more, shorter runs.
    /// </remarks>
    public static IEnumerable<LogHashRun> Split(IReadOnlyList<MerkleNode> nodes, int maxPerRun)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return SplitRuns(nodes, maxPerRun);
    }

    private static IEnumerable<LogHashRun> SplitRuns(IReadOnlyList<MerkleNode> nodes, int maxPerRun)
    {
        var start = 0;
        while (start < nodes.Count)
        {
            var first = nodes[start].Id.StoredIndex;
            var end = start + 1;
            while (end < nodes.Count && end - start < maxPerRun && nodes[end].Id.StoredIndex == first + (end - start))
            {
                end++;
            }

            yield return new LogHashRun(start, end - start, first);
            start = end;
        }
    }
}
