using Concordat.Incidents.Detection;
using Concordat.Incidents.Playbook;
using Concordat.Log;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Incidents.Kpi;

/// <summary>
/// Computes the response figures (<see cref="KpiReport"/>) from log entries alone, in one pass in log order: the
/// gateway's log read over its API and an exported log give the same figures. docs/design/incidents.md#kpis defines
/// each figure.
/// </summary>
/// <remarks>
/// Invariant: memory is bounded by the recipients, the alerts not yet contained, the incidents, and the egress of each
/// recipient in the last <see cref="Lookback"/> (an anomaly starts within its alert's hour, or its sweep window);
/// never by the whole log.
/// </remarks>
public sealed class IncidentKpis
{
    private readonly Pass _pass;

    /// <summary>Starts a pass over a log.</summary>
    /// <param name="agreement">Limits the figures to the recipients of this agreement (as the log's decisions name them) and its incidents; null for all.</param>
    /// <param name="from">Counts alerts and incidents from this instant (inclusive); null for the log's start.</param>
    /// <param name="to">Counts alerts and incidents before this instant; null for the log's end.</param>
    public IncidentKpis(string? agreement = null, DateTimeOffset? from = null, DateTimeOffset? to = null) => _pass = new Pass(agreement, from, to);

    /// <summary>How far before an alert its anomaly can start: the detectors' longest window and an hour.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromHours(25);

    /// <summary>Computes the figures of the entries in <paramref name="entries"/>.</summary>
    /// <param name="entries">Every entry of the log, in log order, with its index.</param>
    /// <param name="agreement">Limits the figures to the recipients of this agreement (as the log's decisions name them) and its incidents; null for all.</param>
    /// <param name="from">Counts alerts and incidents from this instant (inclusive); null for the log's start.</param>
    /// <param name="to">Counts alerts and incidents before this instant; null for the log's end.</param>
    /// <returns>The figures.</returns>
    public static KpiReport Compute(IEnumerable<(long Index, LogEntry Entry)> entries, string? agreement = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var kpis = new IncidentKpis(agreement, from, to);
        foreach (var (index, entry) in entries)
        {
            kpis.Read(index, entry);
        }

        return kpis.Report();
    }

    /// <summary>Reads the next entry of the log.</summary>
    /// <param name="index">Its index.</param>
    /// <param name="entry">The entry; entries MUST come in log order.</param>
    public void Read(long index, LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _pass.Read(index, entry);
    }

    /// <summary>Returns the figures of the entries read; call once, after the last entry.</summary>
    /// <returns>The figures.</returns>
    public KpiReport Report() => _pass.Report();

    private sealed class Pass(string? agreement, DateTimeOffset? from, DateTimeOffset? to)
    {
        private readonly Dictionary<string, Recipient> _recipients = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Incident> _incidents = new(StringComparer.Ordinal);
        private readonly HashSet<string> _drills = new(StringComparer.Ordinal);
        private readonly List<TimeSpan> _detect = [];
        private readonly List<TimeSpan> _contain = [];
        private int _alerts;
        private int _exposures;
        private long _rows;
        private long _bytes;
        private int _queries;
        private Rational _rho = Rational.Zero;

        public void Read(long index, LogEntry entry)
        {
            if (entry.Type is IncidentLog.OpenedType or IncidentLog.ActType)
            {
                if (IncidentLog.Apply(_incidents, entry) is { } id && IncidentLog.IsDrill(entry))
                {
                    _drills.Add(id);
                }

                return;
            }

            if (entry.Type == "gateway.alert/v1")
            {
                ReadAlert(index, entry);
                return;
            }

            // Spec: docs/design/privacy.md: the spend is read back exactly as the gateway charged it, ρ as a fraction.
            if (entry.Type == PrivacySpendEntry.EntryType)
            {
                if (PrivacySpendEntry.TryRead(entry, out var spend) && InPeriod(entry.Time) && (agreement is null || spend.Key.Agreement.Value == agreement))
                {
                    _queries++;
                    _rho += spend.Rho;
                }

                return;
            }

            if (!UsageEvent.TryRead(entry, out var e))
            {
                return;
            }

            var recipient = RecipientOf(e.Recipient);
            switch (e.Kind)
            {
                case UsageEventKind.Decision when e.Agreement is not null:
                    recipient.Agreements.Add(e.Agreement);
                    break;
                case UsageEventKind.Egress:
                    recipient.Egress(e.Time, e.Rows, e.Bytes, e.StoppedBy == "seal");
                    break;
                case UsageEventKind.Seal:
                    foreach (var alert in recipient.Contain())
                    {
                        _contain.Add(e.Time - alert.At);
                    }

                    break;
            }
        }

        private void ReadAlert(long index, LogEntry entry)
        {
            var body = entry.Body;
            if (body.ValueKind != System.Text.Json.JsonValueKind.Object || UsageEvent.Text(body, "recipient") is not { } name
                || !InPeriod(entry.Time) || IsDrillAlert(index))
            {
                return;
            }

            var recipient = RecipientOf(name);
            if (agreement is not null && !recipient.Agreements.Contains(agreement))
            {
                return;
            }

            var first = Core.Rfc3339.TryParseUtc(UsageEvent.Text(body, "firstAnomalousAt"), out var at, out _) && at <= entry.Time ? at : entry.Time;
            _alerts++;
            _detect.Add(entry.Time - first);

            // Spec: docs/design/due-diligence.md#expiry-alert: a lapse in a party's vetting is not an exposure, and a new
            // record, not a seal, ends it, so it opens no window of rows, bytes or containment. Likewise an overdue
            // deletion attestation (docs/design/retention.md): the data left under the agreement and an attestation,
            // not a seal, ends it; the egress after it are the recipient's ordinary use, not an exposure.
            if (AlertVocabulary.TryResolve(UsageEvent.Text(body, "alert"), out var kind) && kind is AlertKind.DiligenceExpired or AlertKind.DeletionAttestationOverdue)
            {
                return;
            }

            recipient.Open(new OpenAlert(entry.Time, first, this));
        }

        // An alert a drill links is the drill's, not a real one.
        private bool IsDrillAlert(long index)
        {
            var text = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return _drills.Any(d => _incidents[d].Alerts.Contains(text, StringComparer.Ordinal));
        }

        private bool InPeriod(DateTimeOffset time) => (from is null || time >= from) && (to is null || time < to);

        private Recipient RecipientOf(string name)
        {
            if (!_recipients.TryGetValue(name, out var recipient))
            {
                _recipients[name] = recipient = new Recipient();
            }

            return recipient;
        }

        public void Closed(OpenAlert alert)
        {
            _rows += alert.Rows;
            _bytes += alert.Bytes;
            if (alert.Rows > 0 || alert.Bytes > 0)
            {
                _exposures++;
            }
        }

        public KpiReport Report()
        {
            var uncontained = 0;
            foreach (var recipient in _recipients.Values)
            {
                foreach (var alert in recipient.Uncontained())
                {
                    uncontained++;
                    Closed(alert);
                }
            }

            foreach (var recipient in _recipients.Values)
            {
                recipient.Settle();
            }

            var incidents = _incidents.Values
                .Where(i => InPeriod(i.OpenedAt) && (agreement is null || i.Agreements.Contains(agreement, StringComparer.Ordinal)))
                .ToList();
            var real = incidents.Where(i => !_drills.Contains(i.Id)).ToList();
            var notify = real.SelectMany(i => i.Acts.Where(a => a.Kind == IncidentActKind.Notify).Select(a => a.At - i.DetectedAt));
            return new KpiReport(from, to, agreement, _alerts, real.Count, incidents.Count - real.Count,
                KpiDurations.Of(_detect), KpiDurations.Of(_contain), KpiDurations.Of(notify), uncontained, _exposures, _rows, _bytes, _queries, _rho.ToString());
        }
    }

    private sealed class OpenAlert(DateTimeOffset at, DateTimeOffset first, Pass pass)
    {
        public DateTimeOffset At { get; } = at;

        public DateTimeOffset First { get; } = first;

        public long Rows { get; set; }

        public long Bytes { get; set; }

        public void Close() => pass.Closed(this);
    }

    private sealed class Recipient
    {
        private readonly Queue<(DateTimeOffset At, long Rows, long Bytes)> _recent = new();
        private readonly List<OpenAlert> _open = [];
        private List<OpenAlert> _lastContained = [];

        public HashSet<string> Agreements { get; } = new(StringComparer.Ordinal);

        public void Egress(DateTimeOffset at, long rows, long bytes, bool stoppedBySeal)
        {
            while (_recent.Count > 0 && at - _recent.Peek().At > Lookback)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue((at, rows, bytes));

            // Invariant: a stream a seal stopped is logged after the seal; its rows left before containment. Rows count
            // once, towards the earliest alert still open: overlapping alerts of one recipient are one exposure.
            var owners = stoppedBySeal && _open.Count == 0 ? _lastContained : _open;
            if (owners.Count > 0)
            {
                owners[0].Rows += rows;
                owners[0].Bytes += bytes;
            }
        }

        public void Open(OpenAlert alert)
        {
            Settle();
            var covered = _open.Count > 0 ? _open.Min(a => a.First) : DateTimeOffset.MaxValue;
            foreach (var (at, rows, bytes) in _recent.Where(r => r.At >= alert.First && r.At < covered))
            {
                alert.Rows += rows;
                alert.Bytes += bytes;
            }

            _open.Add(alert);
        }

        public List<OpenAlert> Contain()
        {
            Settle();
            _lastContained = [.. _open];
            _open.Clear();
            return _lastContained;
        }

        public List<OpenAlert> Uncontained()
        {
            var open = _open.ToList();
            _open.Clear();
            return open;
        }

        // The alerts a seal contained take the egress its stopped streams log after it, then close.
        public void Settle()
        {
            foreach (var alert in _lastContained)
            {
                alert.Close();
            }

            _lastContained = [];
        }
    }
}
