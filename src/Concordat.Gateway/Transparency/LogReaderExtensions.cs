using Concordat.Log;

namespace Concordat.Gateway.Transparency;

/// <summary>Reading the log's entries in pages, for the folds that rebuild their state from it (lineage, retention, incidents).</summary>
internal static class LogReaderExtensions
{
    private const int Page = 1000;

    /// <summary>
    /// Visits every entry from <paramref name="start"/> to the end of the log, in index order, one page at a time;
    /// <paramref name="visit"/> gets <c>null</c> for an entry that does not parse.
    /// </summary>
    /// <remarks>A reader that fails mid-way has visited every entry before the failure once: a caller that keeps its
    /// cursor in <paramref name="visit"/> resumes after the last entry it saw.</remarks>
    public static Task ForEachEntryAsync(this ILogReader log, long start, Action<long, LogEntry?> visit, CancellationToken cancellationToken) =>
        // The page's arrays are read fresh and never changed: each entry keeps its own without a copy.
        log.ForEachStoredEntryAsync(start, (index, stored) => visit(index, LogEntry.TryParse(stored.AsMemory(), out var entry, out _) ? entry : null), cancellationToken);

    /// <summary>
    /// Visits the stored bytes of every entry from <paramref name="start"/> to the end of the log, in index order, one
    /// page at a time, unparsed: for a fold that reads few of the entries and parses only those (the lineage graph).
    /// </summary>
    /// <remarks>As <see cref="ForEachEntryAsync"/>: a reader that fails mid-way has visited every entry before the
    /// failure once. Each array is read fresh and never changed by the log.</remarks>
    public static async Task ForEachStoredEntryAsync(this ILogReader log, long start, Action<long, byte[]> visit, CancellationToken cancellationToken)
    {
        for (var next = start; ; next += Page)
        {
            var page = await log.ReadEntriesAsync(next, Page, cancellationToken).ConfigureAwait(false);
            foreach (var (index, bytes) in page)
            {
                visit(index, bytes);
            }

            if (page.Count < Page)
            {
                return;
            }
        }
    }
}
