using Concordat.Gateway.Journal;
using Concordat.Gateway.Transparency;
using Concordat.Incidents.Playbook;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// The incidents of this gateway, folded from its log (<see cref="IncidentLog"/>), with the reports taken in and the
/// alerts raised: read on first use, then caught up before every use with the entries appended since, by this replica
/// or any other on the same store (<see cref="LogCursor"/>).
/// </summary>
/// <remarks>
/// <para>Invariant: nothing is read at start-up: the first request about incidents (or the first alert) reads the log,
/// page by page; later uses read only the entries after the cursor. A failed read keeps what was folded and the next
/// use goes on from there (answered 503 meanwhile).</para>
/// <para>Invariant: one gate orders the catch-ups and every incident entry's append; an entry written through here is
/// folded by reading it back from the log, as another replica's is, so nothing is applied twice and the book is
/// exactly the fold of the log below its cursor.</para>
/// </remarks>
internal sealed class IncidentBook(ILogReader log, GatewayJournal journal) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LogCursor _cursor = new(log);
    private readonly Dictionary<string, Incident> _incidents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _drills = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReportRecord> _reports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _alerts = new(StringComparer.Ordinal);

    private GatewayJournal Journal { get; } = journal;

    /// <summary>Runs <paramref name="action"/> on the incidents, caught up with the log first.</summary>
    /// <exception cref="IncidentBookUnavailableException">The log could not be read.</exception>
    public async Task<T> WithAsync<T>(Func<IncidentView, Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            return await action(new IncidentView(this)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _cursor.CatchUpAsync((index, entry) =>
            {
                if (entry is null)
                {
                    return;
                }

                if (IncidentLog.Apply(_incidents, entry) is { } id && IncidentLog.IsDrill(entry))
                {
                    _drills.Add(id);
                }

                if (ReportRecord.TryRead(entry) is { } report)
                {
                    _reports[report.Id] = report;
                }

                // The first entry of an alert id stands; a later one (two replicas racing before the lock existed) is a repeat.
                if (AlertIds.TryRead(entry) is { } alertId)
                {
                    _alerts.TryAdd(alertId, index);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new IncidentBookUnavailableException("the incidents cannot be read from the log", ex);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    /// <summary>The incidents, while the book's gate is held: read them, or write an entry and fold it.</summary>
    internal sealed class IncidentView(IncidentBook book)
    {
        public IReadOnlyDictionary<string, Incident> All => book._incidents;

        /// <summary>Gets the reports taken in (<c>gateway.report-received/v1</c>), by id.</summary>
        public IReadOnlyDictionary<string, ReportRecord> Reports => book._reports;

        public bool IsDrill(string id) => book._drills.Contains(id);

        /// <summary>Returns the index of the alert entry logged with <paramref name="alertId"/>, by any replica, or <see langword="null"/>.</summary>
        public long? AlertIndex(string alertId) => book._alerts.TryGetValue(alertId, out var index) ? index : null;

        /// <summary>
        /// Appends an entry and folds it once durable, with every entry appended before it: for a request, its 503 answer
        /// when the log pushed back (nothing folded); without one (the detectors), waiting out every pushback.
        /// </summary>
        /// <exception cref="IncidentBookUnavailableException">The entry is durable but the log could not be read back; the next use folds it.</exception>
        public async Task<ProblemHttpResult?> AppendAsync(GatewayEntry entry, HttpContext? context)
        {
            if (context is null)
            {
                await book.Journal.AppendUntilDurableAsync(entry).ConfigureAwait(false);
            }
            // Security: not cancelled with the request: an act is appended under its incident's store lock, which MUST NOT
            // be released while the entry may still be written.
            else if (await book.Journal.AppendUnderLockAsync(context, entry).ConfigureAwait(false) is { } busy)
            {
                return busy;
            }

            // Invariant: the entry is folded by reading it back, never applied here, so the book stays the log's fold.
            await book.CatchUpAsync(CancellationToken.None).ConfigureAwait(false);
            return null;
        }
    }
}

/// <summary>The incidents could not be read from the log; the next use tries again.</summary>
internal sealed class IncidentBookUnavailableException(string message, Exception inner) : Exception(message, inner);
