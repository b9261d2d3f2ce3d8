using Concordat.Log;

namespace Concordat.Gateway.Transparency;

/// <summary>
/// Where a fold of the log stands (the privacy ledger, the incidents, the lineage graph, the retention deadlines, the
/// detectors, the diligence check): the index of the next entry it has not read. Catching up reads only the entries
/// from there to the end of the log, whichever replica of the store appended them, never the whole log again.
/// </summary>
/// <remarks>
/// <para>Invariant: the cursor moves past each entry once its fold returned, so a read that fails mid-way resumes
/// after the last entry folded and no entry is folded twice.</para>
/// <para>Not thread-safe: the fold that owns it serialises its catch-ups (each holds its own gate).</para>
/// </remarks>
internal sealed class LogCursor(ILogReader log)
{
    /// <summary>Gets the index of the next entry the fold has not read.</summary>
    public long Next { get; private set; }

    /// <summary>Starts the fold at <paramref name="index"/> instead of the log's first entry (a bounded window), before any catch-up.</summary>
    /// <exception cref="InvalidOperationException">The fold has already read entries.</exception>
    public void StartAt(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (Next != 0)
        {
            throw new InvalidOperationException("the fold has already read entries");
        }

        Next = index;
    }

    /// <summary>Reads every entry from <see cref="Next"/> to the end of the log into <paramref name="fold"/>, in index order.</summary>
    /// <param name="fold">Gets each entry's index and the entry (<see langword="null"/> for one that does not parse).</param>
    /// <param name="cancellationToken">Cancels the read; the entries folded so far stay folded.</param>
    /// <returns>Whether any entry was read.</returns>
    public Task<bool> CatchUpAsync(Action<long, LogEntry?> fold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fold);
        return CatchUpAsync(start => log.ForEachEntryAsync(start, (index, entry) =>
        {
            fold(index, entry);
            Next = index + 1;
        }, cancellationToken));
    }

    /// <summary>Reads the stored bytes of every entry from <see cref="Next"/> to the end of the log into <paramref name="fold"/>, in index order, unparsed.</summary>
    /// <param name="fold">Gets each entry's index and stored bytes, for a fold that parses only the entries it reads (the lineage graph).</param>
    /// <param name="cancellationToken">Cancels the read; the entries folded so far stay folded.</param>
    /// <returns>Whether any entry was read.</returns>
    public Task<bool> CatchUpStoredAsync(Action<long, byte[]> fold, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fold);
        return CatchUpAsync(start => log.ForEachStoredEntryAsync(start, (index, stored) =>
        {
            fold(index, stored);
            Next = index + 1;
        }, cancellationToken));
    }

    private async Task<bool> CatchUpAsync(Func<long, Task> read)
    {
        var from = Next;
        await read(Next).ConfigureAwait(false);
        return Next > from;
    }
}
