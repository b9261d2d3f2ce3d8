using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// Cuts a batch's node hashes into runs: hashes of consecutive stored indices (<see cref="MerkleNodeId.StoredIndex"/>),
/// in order, at most a given number per run, so that a hash's place in its run follows from its id. Both storage
/// engines store one run per row.
/// </summary>
internal static class LogHashRuns
{
    /// <summary>One run: <see cref="Count"/> nodes from <see cref="Offset"/> in the batch, the first at <see cref="FirstStoredIndex"/>.</summary>
    internal readonly record struct Run(int Offset, int Count, long FirstStoredIndex);

    /// <summary>Returns the runs of <paramref name="nodes"/>.</summary>
    /// <remarks>
    /// A log's batch is one run (it appends hashes in stored-index order), cut every <paramref name="maxPerRun"/>
    /// hashes; nodes given in another order still round-trip, as more, shorter runs.
    /// </remarks>
    public static IEnumerable<Run> Split(IReadOnlyList<MerkleNode> nodes, int maxPerRun)
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

            yield return new Run(start, end - start, first);
            start = end;
        }
    }
}
