using Concordat.Incidents.Detection;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// Runs the detectors (<see cref="UsageDetector"/>) over the gateway's entries as they are appended, off the request
/// path: each alert is raised by <see cref="AlertRaiser"/> (logged, auto-sealed where an agreement says so, triaged).
/// </summary>
/// <remarks>
/// <para>Invariant: it never reads the log back, at start-up or per entry; its memory is the detector's (bounded by
/// recipients and identities) and the queue's. The detectors start learning afresh when the gateway starts.</para>
/// <para>Failure-tolerant: an entry that cannot be read or an alert that cannot be written is logged and skipped; the
/// gateway keeps serving.</para>
/// </remarks>
internal sealed class DetectionService(
    DetectionQueue queue,
    DetectionOptions options,
    AlertRaiser raiser,
    ILogger<DetectionService> logger) : BackgroundService
{
    private readonly UsageDetector _detector = new(options);
    private readonly List<Alert> _alerts = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var entry in queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (queue.TakeDropped() is var dropped and > 0)
                {
                    LogMessages.DetectionQueueFull(logger, dropped);
                }

                try
                {
                    _alerts.Clear();
                    _detector.Observe(entry.ToLogEntry(), _alerts);
                    foreach (var alert in _alerts)
                    {
                        await raiser.RaiseAsync(alert, []).ConfigureAwait(false);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogMessages.DetectionFailed(logger, ex, entry.EntryType);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The gateway is stopping; what is still queued is not judged.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
