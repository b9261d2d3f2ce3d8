using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Concordat.Gateway.Hosting;

/// <summary>
/// The gateway's own instruments (<see cref="System.Diagnostics.Metrics"/>), exported with OpenTelemetry and scraped
/// in the Prometheus format at <see cref="ScrapePath"/>; docs/operations.md lists them with their Prometheus names.
/// </summary>
/// <remarks>
/// Counts and durations only: no instrument carries an id, a secret or a value of a row. HTTP requests are counted by
/// ASP.NET Core's own <c>http.server.request.duration</c>, exported beside these.
/// </remarks>
internal sealed class GatewayMetrics
{
    /// <summary>The meter's name, which the exporter listens to.</summary>
    public const string MeterName = "Concordat.Gateway";

    /// <summary>Where Prometheus scrapes: anonymous, read-only and not logged, like <c>/openapi</c>.</summary>
    public const string ScrapePath = "/metrics";

    private readonly Counter<long> _decisions;
    private readonly Counter<long> _rows;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _appendDuration;
    private readonly UpDownCounter<long> _pendingAppends;
    private readonly Counter<long> _seals;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public GatewayMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>("concordat.decisions", "{decision}", "Decisions made, by effect (permit or deny).");
        _rows = meter.CreateCounter<long>("concordat.egress.rows", "{row}", "Rows sent by egress streams, by format.");
        _bytes = meter.CreateCounter<long>("concordat.egress.bytes", "By", "Bytes of rows written to the response by egress streams, by format.");
        _appendDuration = meter.CreateHistogram<double>("concordat.log.append.duration", "s", "Time from handing an entry to the transparency log until it is durable or pushed back, by outcome.");
        _pendingAppends = meter.CreateUpDownCounter<long>("concordat.log.append.pending", "{entry}", "Entries handed to the transparency log and not yet durable or pushed back: the log's queue as the gateway sees it.");
        _seals = meter.CreateCounter<long>("concordat.seals", "{seal}", "Recipients sealed.");
    }

    /// <summary>Counts a decision.</summary>
    public void Decided(bool isPermit) => _decisions.Add(1, new KeyValuePair<string, object?>("effect", isPermit ? "permit" : "deny"));

    /// <summary>Counts what one egress stream sent.</summary>
    public void Sent(string format, long rows, long bytes)
    {
        var tag = new KeyValuePair<string, object?>("format", format);
        _rows.Add(rows, tag);
        _bytes.Add(bytes, tag);
    }

    /// <summary>Counts a seal.</summary>
    public void Sealed() => _seals.Add(1);

    /// <summary>Marks an entry handed to the log; returns the timestamp <see cref="AppendEnded"/> takes.</summary>
    public long AppendStarted()
    {
        _pendingAppends.Add(1);
        return Stopwatch.GetTimestamp();
    }

    /// <summary>Records an append's duration and outcome.</summary>
    public void AppendEnded(long started, bool isPushback)
    {
        _pendingAppends.Add(-1);
        _appendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", isPushback ? "pushback" : "appended"));
    }
}
