using Concordat.Agreements;
using Concordat.Gateway.Incidents;
using Concordat.Incidents.Detection;
using Concordat.Retention;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Retention;

/// <summary>
/// The periodic retention check: every <see cref="Period"/> it judges every egress and raises one
/// <c>deletion-attestation-overdue</c> alert per egress whose deletion attestation is past its deadline, through the one
/// alert path (<see cref="AlertRaiser"/>: logged, auto-seal when an agreement says so, an incident for triage).
/// </summary>
/// <remarks>
/// Invariant: nothing is read at start-up; the first check, one period after start, reads the log (through
/// <see cref="RetentionBook"/>), and later checks read only what was appended since. Failure-tolerant: a check that
/// fails is logged and the next one tries again.
/// </remarks>
internal sealed class RetentionWatch(RetentionBook book, AlertRaiser raiser, TimeProvider timeProvider, ILogger<RetentionWatch> logger) : BackgroundService
{
    /// <summary>How often the check runs.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await CheckAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogMessages.RetentionCheckFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The gateway is stopping; the next start checks one period later.
        }
    }

    /// <summary>Raises an alert for each egress newly overdue; returns how many were raised.</summary>
    internal Task<int> CheckAsync(CancellationToken cancellationToken) => book.WithAsync(async view =>
    {
        var now = timeProvider.GetUtcNow();
        var raised = 0;
        foreach (var item in view.Status(now, out _).Where(i => i.State == RetentionState.Overdue && !view.IsAlerted(i.DecisionId)))
        {
            // Where time-to-detect starts: the deadline the recipient missed.
            var alert = new Alert(AlertKind.DeletionAttestationOverdue, new PartyId(item.Recipient), null, now, item.AttestBy, (now - item.AttestBy).TotalDays, 0, item.DecisionId);
            // Another replica may have raised it first: the alert's id names the egress, so it is raised once.
            if ((await raiser.RaiseOnceAsync(alert, AlertIds.ForSubject(alert), cancellationToken).ConfigureAwait(false)).IsRaised)
            {
                raised++;
            }

            view.MarkAlerted(item.DecisionId);
        }

        return raised;
    }, cancellationToken);
}
