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
    public static async Task ForEachEntryAsync(this ILogReader log, long start, Action<long, LogEntry?> visit, CancellationToken cancellationToken)
    {
        for (var next = start; ; next += Page)
        {
            var page = await log.ReadEntriesAsync(next, Page, cancellationToken).ConfigureAwait(false);
            foreach (var (index, bytes) in page)
            {
                // The page's arrays are read fresh and never changed: each entry keeps its own without a copy.
                visit(index, LogEntry.TryParse(bytes.AsMemory(), out var entry, out _) ? entry : null);
            }

            if (page.Count < Page)
            {
                return;
            }
        }
    }
}
