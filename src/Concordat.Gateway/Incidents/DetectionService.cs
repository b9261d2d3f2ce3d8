using Concordat.Gateway.Transparency;
using Concordat.Incidents.Detection;
using Concordat.Log;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// Runs the detectors (<see cref="UsageDetector"/>) over the log's entries, whichever replica of the store appended
/// them, off the request path, and raises what they notice once (<see cref="AlertRaiser.RaiseOnceAsync"/>).
/// </summary>
/// <remarks>
/// <para>Warm start: at start-up the detectors replay the log's most recent <see cref="DetectionOptions.WarmStartHours"/>
/// (ending at its newest entry), found by a binary search on the entries' times and read page by page, to learn their
/// baselines again; the alerts of that replay are not raised (they were, before the restart, or the window has passed).
/// Memory stays the detector's (bounded by recipients and identities), never the log's.</para>
/// <para>Then they follow the log from their cursor (<see cref="LogCursor"/>): at once when this replica made an entry
/// they read durable (<see cref="DetectionSignal"/>), and every <see cref="PollPeriod"/> for the entries of other
/// replicas. Every replica thus judges all the traffic, in log order, and each alert's deterministic id
/// (<see cref="AlertIds.ForHour"/>) lets only the first replica to notice it log it.</para>
/// <para>Failure-tolerant: a read that fails is logged and tried again at the next wake-up (nothing is skipped); an
/// alert that cannot be written is logged and skipped; the gateway keeps serving.</para>
/// </remarks>
internal sealed class DetectionService(DetectionSignal signal, DetectionOptions options, AlertRaiser raiser, ILogReader log, TimeProvider timeProvider, ILogger<DetectionService> logger) : BackgroundService
{
    /// <summary>How long the detectors wait, without a signal, before reading the entries other replicas appended.</summary>
    public static readonly TimeSpan PollPeriod = TimeSpan.FromSeconds(1);

    private readonly UsageDetector _detector = new(options);
    private readonly LogCursor _cursor = new(log);
    private readonly List<Alert> _alerts = [];
    private long _replayEnd = -1;
    private long _judged;

    /// <summary>Gets the index below which every entry was judged and its alerts raised (or found raised by another replica).</summary>
    public long Judged => Interlocked.Read(ref _judged);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await TryJudgeAsync(stoppingToken).ConfigureAwait(false);
                await signal.WaitAsync(PollPeriod, timeProvider, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The gateway is stopping; what is not judged yet is judged by the replicas still running, or replayed at the next start.
        }
    }

    private async Task TryJudgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_replayEnd < 0)
            {
                await PlaceCursorAsync(cancellationToken).ConfigureAwait(false);
            }

            await _cursor.CatchUpAsync(Observe, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessages.DetectionReadFailed(logger, ex);
        }

        // The alerts of the entries read so far, even when a later page failed: they are raised once, in order.
        foreach (var alert in _alerts)
        {
            try
            {
                await raiser.RaiseOnceAsync(alert, AlertIds.ForHour(alert), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogMessages.DetectionFailed(logger, ex, "gateway.alert/v1");
            }
        }

        _alerts.Clear();
        Interlocked.Exchange(ref _judged, _cursor.Next);
    }

    private void Observe(long index, LogEntry? entry)
    {
        if (entry is null)
        {
            return;
        }

        var before = _alerts.Count;
        _detector.Observe(entry, _alerts);

        // Invariant: the replay of the warm start only learns; what it notices was judged before the restart.
        if (index < _replayEnd)
        {
            _alerts.RemoveRange(before, _alerts.Count - before);
        }
    }

    // Places the cursor at the first entry of the warm-start window and remembers where the replay ends.
    private async Task PlaceCursorAsync(CancellationToken cancellationToken)
    {
        var size = await log.ReadTreeSizeAsync(cancellationToken).ConfigureAwait(false);
        var start = size == 0 || options.WarmStartHours == 0 ? size : await WindowStartAsync(size, cancellationToken).ConfigureAwait(false);
        _cursor.StartAt(start);
        _replayEnd = size;
    }

    // The first entry no older than the window before the newest entry: a binary search that reads one entry a step.
    // Entries are in time order but for replicas' clocks, so the window starts at most a few entries off.
    private async Task<long> WindowStartAsync(long size, CancellationToken cancellationToken)
    {
        var newest = await TimeAtAsync(size - 1, cancellationToken).ConfigureAwait(false) ?? timeProvider.GetUtcNow();
        var from = newest - TimeSpan.FromHours(options.WarmStartHours);
        var (low, high) = (0L, size - 1);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (await TimeAtAsync(middle, cancellationToken).ConfigureAwait(false) is { } at && at >= from)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private async Task<DateTimeOffset?> TimeAtAsync(long index, CancellationToken cancellationToken)
    {
        var read = await log.ReadEntriesAsync(index, 1, cancellationToken).ConfigureAwait(false);
        return read.Count == 1 && LogEntry.TryParse(read[0].Entry, out var entry, out _) ? entry.Time : null;
    }
}
