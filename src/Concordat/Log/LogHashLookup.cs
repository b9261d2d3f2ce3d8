using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// One read of many stored hashes from runs (see <see cref="LogHashRuns"/>), shared by both storage engines: the ids
/// sorted by stored index and cut into groups, each covered by one range scan of runs, and the runs the scans return
/// sliced into each id's hash.
/// </summary>
/// <remarks>
/// <para>
/// A hash is the 32-byte slice of the run with the greatest start at or below its stored index; an index beyond that
/// run's end (the run was deleted or cut short), or with no such run, reads as missing (null), and a slice cut short
/// is returned as it is, so that the caller rejects it as malformed.
/// </para>
/// <para>
/// Why groups: a proof's lower siblings lie in one subtree, whose hashes are stored side by side, so most of a proof
/// is one range scan rather than an index descent per hash. Ids further apart than <c>maxGapInRuns</c> runs start a
/// new group: scanning a long gap reads more pages than a descent does.
/// </para>
/// <para>For <see cref="ILogStorage"/> engines; a verifier never needs it.</para>
/// </remarks>
public sealed class LogHashLookup
{
    private readonly long[] _keys;
    private readonly int[] _slots;

    /// <summary>Plans the read of <paramref name="ids"/> from runs of at most <paramref name="maxPerRun"/> hashes.</summary>
    /// <param name="ids">The ids whose hashes to read, in any order, repeats allowed.</param>
    /// <param name="maxPerRun">The most hashes the engine stores in one run.</param>
    /// <param name="maxGapInRuns">How many runs apart two ids may be and still be read by one scan.</param>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The gap is shorter than one run, so two groups' scans could overlap.</exception>
    public LogHashLookup(IReadOnlyList<MerkleNodeId> ids, int maxPerRun, int maxGapInRuns)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGapInRuns, 1);
        _keys = new long[ids.Count];
        _slots = new int[ids.Count];
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = ids[i].StoredIndex;
            _slots[i] = i;
        }

        Array.Sort(_keys, _slots);
        Result = new byte[]?[_keys.Length];
        var scans = new List<LogHashScan>();
        for (var first = 0; first < _keys.Length;)
        {
            var last = first;
            while (last + 1 < _keys.Length && _keys[last + 1] - _keys[last] <= (long)maxGapInRuns * maxPerRun)
            {
                last++;
            }

            // Invariant: a run holds at most maxPerRun hashes, so one that starts at or before After ends before
            // the group's first id; and groups are more than a run apart, so their scans never overlap.
            scans.Add(new LogHashScan(_keys[first] - maxPerRun, _keys[last]));
            first = last + 1;
        }

        Scans = scans;
    }

    /// <summary>Gets the range scans to run, in ascending order: each the runs with a start in (After, Through].</summary>
    public IReadOnlyList<LogHashScan> Scans { get; }

    /// <summary>Gets each id's hash, in the order of the ids; null where it is missing.</summary>
    public byte[]?[] Result { get; }

    /// <summary>Takes one run a scan returned; the runs of all scans MUST be given in ascending start.</summary>
    /// <param name="start">The run's start: the stored index of its first hash.</param>
    /// <param name="hashes">The run's hashes, 32 bytes each.</param>
    public void Take(long start, ReadOnlySpan<byte> hashes)
    {
        // Each id takes its slice from every run at or below it, in ascending start, so the last one wins.
        var from = Array.BinarySearch(_keys, start);
        from = from >= 0 ? from : ~from;
        while (from > 0 && _keys[from - 1] >= start)
        {
            // An id asked for twice: the search may land on either copy.
            from--;
        }

        for (var i = from; i < _keys.Length; i++)
        {
            Result[_slots[i]] = Slice(hashes, _keys[i] - start);
        }
    }

    private static byte[]? Slice(ReadOnlySpan<byte> hashes, long offset)
    {
        var at = offset * Rfc6962.HashSize;
        return at >= hashes.Length ? null : hashes.Slice((int)at, (int)Math.Min(Rfc6962.HashSize, hashes.Length - at)).ToArray();
    }
}
