using Concordat.Gateway.Journal;
using Concordat.Gateway.Transparency;
using Concordat.Incidents.Playbook;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// The incidents of this gateway, folded from its log (<see cref="IncidentLog"/>): read once, on first use, then kept
/// current by every incident entry written through here.
/// </summary>
/// <remarks>
/// <para>Invariant: nothing is read at start-up: the first request about incidents (or the first alert) reads the log,
/// page by page; a failed read is retried by the next use, and answered 503 meanwhile.</para>
/// <para>Invariant: one gate orders the read and every incident entry's append-then-apply, so the book never misses an
/// entry written while it was being read. On PostgreSQL, incidents written by another replica are seen after this
/// one's next restart.</para>
/// </remarks>
internal sealed class IncidentBook(ILogReader log, GatewayJournal journal) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, Incident>? _incidents;
    private HashSet<string> _drills = new(StringComparer.Ordinal);
    private Dictionary<string, ReportRecord> _reports = new(StringComparer.Ordinal);

    private GatewayJournal Journal { get; } = journal;

    /// <summary>Runs <paramref name="action"/> on the incidents, read from the log first when they were not yet.</summary>
    /// <exception cref="IncidentBookUnavailableException">The log could not be read.</exception>
    public async Task<T> WithAsync<T>(Func<IncidentView, Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var incidents = _incidents ??= await ReadAsync(cancellationToken).ConfigureAwait(false);
            return await action(new IncidentView(incidents, _drills, _reports, this)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Dictionary<string, Incident>> ReadAsync(CancellationToken cancellationToken)
    {
        var incidents = new Dictionary<string, Incident>(StringComparer.Ordinal);
        var drills = new HashSet<string>(StringComparer.Ordinal);
        var reports = new Dictionary<string, ReportRecord>(StringComparer.Ordinal);
        try
        {
            await log.ForEachEntryAsync(0, (_, entry) =>
            {
                if (entry is not null && IncidentLog.Apply(incidents, entry) is { } id && IncidentLog.IsDrill(entry))
                {
                    drills.Add(id);
                }

                if (entry is not null && ReportRecord.TryRead(entry) is { } report)
                {
                    reports[report.Id] = report;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new IncidentBookUnavailableException("the incidents cannot be read from the log", ex);
        }

        _drills = drills;
        _reports = reports;
        return incidents;
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    /// <summary>The incidents, while the book's gate is held: read them, or write an entry and apply it.</summary>
    internal sealed class IncidentView(Dictionary<string, Incident> incidents, HashSet<string> drills, Dictionary<string, ReportRecord> reports, IncidentBook book)
    {
        public IReadOnlyDictionary<string, Incident> All => incidents;

        /// <summary>Gets the reports taken in (<c>gateway.report-received/v1</c>), by id.</summary>
        public IReadOnlyDictionary<string, ReportRecord> Reports => reports;

        public bool IsDrill(string id) => drills.Contains(id);

        /// <summary>
        /// Appends an incident entry and applies it once durable: for a request, its 503 answer when the log pushed back
        /// (nothing applied); without one (the detectors), waiting out every pushback.
        /// </summary>
        public async Task<ProblemHttpResult?> AppendAsync(GatewayEntry entry, HttpContext? context)
        {
            if (context is null)
            {
                await book.Journal.AppendUntilDurableAsync(entry).ConfigureAwait(false);
            }
            else if (await book.Journal.AppendAsync(context, entry).ConfigureAwait(false) is { } busy)
            {
                return busy;
            }

            var logEntry = entry.ToLogEntry();
            if (IncidentLog.Apply(incidents, logEntry) is { } id && IncidentLog.IsDrill(logEntry))
            {
                drills.Add(id);
            }

            if (ReportRecord.TryRead(logEntry) is { } report)
            {
                reports[report.Id] = report;
            }

            return null;
        }
    }
}

/// <summary>The incidents could not be read from the log; the next use tries again.</summary>
internal sealed class IncidentBookUnavailableException(string message, Exception inner) : Exception(message, inner);
