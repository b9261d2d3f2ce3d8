using Concordat.Core;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Incidents;
using Concordat.Gateway.Transparency;
using Concordat.Incidents.Detection;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Diligence;

/// <summary>
/// The due-diligence check: every <see cref="Period"/>, and after a record is uploaded or an agreement version
/// activated, it raises one <c>diligence-expired</c> alert per record an agreement in force relies on that is past the
/// requirement's <c>maxAgeDays</c> (<see cref="DiligenceBook.Lapsed"/>), through the one alert path
/// (<see cref="AlertRaiser"/>: logged, auto-seal when an agreement says so, an incident for triage).
/// </summary>
/// <remarks>
/// <para>Invariant: once per record, across restarts: the check remembers the records alerted from the log's own
/// alert entries, read from where it stopped, so nothing is read at start-up and each entry is read once.</para>
/// <para>One gate orders the checks, so the timer and a request never raise the same alert twice. A check that fails is
/// logged (event 6910) and the next one tries again.</para>
/// </remarks>
internal sealed class DiligenceWatch(DiligenceBook book, PolicyState policy, AlertRaiser raiser, ILogReader log, TimeProvider timeProvider, ILogger<DiligenceWatch> logger) : BackgroundService
{
    /// <summary>How often the check runs.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    private static readonly string s_expiredAlert = AlertVocabulary.NameOf(AlertKind.DiligenceExpired);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _alerted = new(StringComparer.Ordinal);
    private readonly LogCursor _cursor = new(log);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await TryCheckAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The gateway is stopping; the next start checks one period later.
        }
    }

    /// <summary>Runs <see cref="CheckAsync"/>, logging rather than throwing a failure: an upload or activation already done must not fail for it.</summary>
    public async Task TryCheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessages.DiligenceCheckFailed(logger, ex);
        }
    }

    /// <summary>Raises an alert for each record newly past its requirement's age; returns how many were raised.</summary>
    internal async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _cursor.CatchUpAsync((_, entry) =>
            {
                if (entry is { Type: "gateway.alert/v1" } && JsonMembers.Text(entry.Body, "alert") == s_expiredAlert && JsonMembers.Text(entry.Body, "subject") is { } envelope)
                {
                    _alerted.Add(envelope);
                }
            }, cancellationToken).ConfigureAwait(false);

            var now = timeProvider.GetUtcNow();
            var raised = 0;
            foreach (var lapse in book.Lapsed(policy.Agreements.Select(a => a.Agreement), now))
            {
                var envelope = lapse.Envelope.ToString();
                if (_alerted.Contains(envelope))
                {
                    continue;
                }

                // Where time-to-detect starts: the instant the record grew too old; observed is its age in days, against the most allowed.
                var alert = new Alert(AlertKind.DiligenceExpired, lapse.Requirement.Party, null, now, lapse.Record.ExpiresAt(lapse.Requirement),
                    (now - lapse.Record.AssessedAt).TotalDays, lapse.Requirement.MaxAgeDays, envelope);
                // Invariant: marked only once written (here or, first, by another replica: the id names the record),
                // so an alert that failed is raised by the next check.
                if ((await raiser.RaiseOnceAsync(alert, AlertIds.ForSubject(alert), cancellationToken).ConfigureAwait(false)).IsRaised)
                {
                    raised++;
                }

                _alerted.Add(envelope);
            }

            return raised;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }
}
