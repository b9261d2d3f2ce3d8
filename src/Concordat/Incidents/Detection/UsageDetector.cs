using Concordat.Agreements;
using Concordat.Log;

namespace Concordat.Incidents.Detection;

/// <summary>
/// The detectors, streaming: each log entry is read once, as it is appended, against what was learned from the
/// entries before it, per recipient and per identity. Nothing ever reads the log back.
/// </summary>
/// <remarks>
/// <para>Invariant: memory is bounded by the recipients and identities seen (and the tokens still live), never by the
/// number of entries: one fixed-size state per recipient and per identity.</para>
/// <para>Entries MUST be given in log order (times not decreasing); an entry older than the current hour of its
/// recipient counts towards that hour. Not thread-safe: one reader feeds it.</para>
/// <para>Each alert fires at most once per recipient, kind and hour (an identity's alert counts for its recipient).</para>
/// </remarks>
public sealed class UsageDetector
{
    private readonly DetectionOptions _options;
    private readonly Dictionary<string, UsageState> _recipients = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Recipient, string ClientId), UsageState> _identities = [];
    private readonly Dictionary<string, (string ClientId, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    private long _prunedHour = long.MinValue;

    /// <summary>Makes the detectors with their thresholds.</summary>
    /// <param name="options">The thresholds; <see langword="null"/> for the defaults.</param>
    public UsageDetector(DetectionOptions? options = null) => _options = options ?? DetectionOptions.Default;

    /// <summary>Gets the number of recipients watched.</summary>
    public int RecipientCount => _recipients.Count;

    /// <summary>Gets the number of identities watched.</summary>
    public int IdentityCount => _identities.Count;

    /// <summary>Reads one entry and adds the alerts it raises to <paramref name="alerts"/>.</summary>
    /// <param name="entry">The entry just appended; entries of types the detectors do not read are skipped.</param>
    /// <param name="alerts">Where alerts are added.</param>
    public void Observe(LogEntry entry, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(alerts);
        if (UsageEvent.TryRead(entry, out var e))
        {
            Observe(e, alerts);
        }
    }

    internal void Observe(in UsageEvent e, ICollection<Alert> alerts)
    {
        if (e.Kind == UsageEventKind.Seal)
        {
            return;
        }

        var hour = e.Time.ToUnixTimeSeconds() / 3600;
        PruneTokens(hour, e.Time);
        var client = e.ClientId;
        if (client is null && e.TokenId is { } tokenId && _tokens.TryGetValue(tokenId, out var token))
        {
            client = token.ClientId;
        }

        if (e.Kind == UsageEventKind.TokenIssued && e.TokenId is not null && client is not null)
        {
            _tokens[e.TokenId] = (client, e.ExpiresAt);
        }

        var recipient = StateOf(_recipients, e.Recipient, hour);
        if (client is not null)
        {
            var key = (e.Recipient, client);
            if (!_identities.TryGetValue(key, out var identity))
            {
                _identities[key] = identity = new UsageState(hour);
            }

            Check(e, hour, identity, recipient, new ClientId(client), alerts);
        }

        Check(e, hour, recipient, recipient, null, alerts);
        if (e.Kind == UsageEventKind.Decision)
        {
            CheckPlaces(e, hour, recipient, alerts);
        }
    }

    private static UsageState StateOf(Dictionary<string, UsageState> states, string key, long hour)
    {
        if (!states.TryGetValue(key, out var state))
        {
            states[key] = state = new UsageState(hour);
        }

        return state;
    }

    private void PruneTokens(long hour, DateTimeOffset now)
    {
        if (hour == _prunedHour)
        {
            return;
        }

        _prunedHour = hour;
        foreach (var (id, token) in _tokens)
        {
            if (token.ExpiresAt < now)
            {
                _tokens.Remove(id);
            }
        }
    }

    private bool IsWarm(UsageState s, long hour) => hour - s.FirstHour >= _options.WarmupHours && s.ActiveHours >= _options.WarmupActiveHours;

    private void Check(in UsageEvent e, long hour, UsageState s, UsageState recipient, ClientId? client, ICollection<Alert> alerts)
    {
        s.AdvanceTo(hour);
        var slot = UsageState.SlotOf(hour);
        var warm = IsWarm(s, hour);
        var raise = new Raiser(e, hour, recipient, client, alerts);
        // A weekend hour is judged only once a whole week has been watched: before that it was never seen at all.
        var isJudged = warm && (slot < 24 || hour - s.FirstHour >= 7 * 24);
        if (isJudged && s.SlotUse[slot] == 0 && (slot % 24 == 0 || s.SlotUse[slot - 1] == 0) && (slot % 24 == 23 || s.SlotUse[slot + 1] == 0))
        {
            raise.Alert(AlertKind.OffHoursAccess, e.Time, 1, 0, $"{(slot >= 24 ? "weekend" : "weekday")} {slot % 24:00}:00 UTC");
        }

        switch (e.Kind)
        {
            case UsageEventKind.Decision or UsageEventKind.Refusal:
                s.Requests++;
                if (e.IsDeny)
                {
                    s.Denies++;
                    s.DeniesAboveSince = s.DeniesAboveSince == default ? e.Time : s.DeniesAboveSince;
                }

                Spike(raise, warm, AlertKind.RequestRateSpike, s.Requests, s.RequestBaseline.Expected(slot), _options.MinimumRequests, ref s.RequestsAboveSince, "requests");
                var share = s.Denies / s.Requests;
                if (warm && s.Denies >= _options.MinimumDenies && share >= Math.Max(_options.MinimumDenyShare, _options.SpikeFactor * s.DenyShare))
                {
                    raise.Alert(AlertKind.DenyRateSpike, s.DeniesAboveSince, s.Denies, _options.MinimumDenies, "denies");
                }

                if (e.Kind == UsageEventKind.Decision && e.Dataset is { } dataset)
                {
                    Sweep(raise, s, dataset, e.Time);
                }

                break;
            case UsageEventKind.Egress:
                s.Rows += e.Rows;
                s.Bytes += e.Bytes;
                if (!Spike(raise, warm, AlertKind.VolumeSpike, s.Rows, s.RowBaseline.Expected(slot), _options.MinimumRows, ref s.RowsAboveSince, "rows"))
                {
                    Spike(raise, warm, AlertKind.VolumeSpike, s.Bytes, s.ByteBaseline.Expected(slot), _options.MinimumBytes, ref s.BytesAboveSince, "bytes");
                }

                break;
            case UsageEventKind.TokenIssued:
                s.Tokens++;
                Spike(raise, warm, AlertKind.TokenBurst, s.Tokens, s.TokenBaseline.Expected(slot), _options.MinimumTokens, ref s.TokensAboveSince, "tokens");
                break;
        }
    }

    // A count of the current hour against its learned expectation; the anomaly starts at the first entry above it.
    private bool Spike(Raiser raise, bool warm, AlertKind kind, double count, double expected, double minimum, ref DateTimeOffset aboveSince, string subject)
    {
        if (aboveSince == default && count > expected)
        {
            aboveSince = raise.Time;
        }

        var threshold = Math.Max(minimum, _options.SpikeFactor * expected);
        return warm && count >= threshold && raise.Alert(kind, aboveSince, count, threshold, subject);
    }

    private void Sweep(Raiser raise, UsageState s, string dataset, DateTimeOffset now)
    {
        var window = TimeSpan.FromMinutes(_options.DatasetSweepWindowMinutes);
        var recent = s.RecentDatasets;
        recent.RemoveAll(d => now - d.At > window);
        var index = recent.FindIndex(d => d.Dataset == dataset);
        if (index >= 0)
        {
            recent.RemoveAt(index);
        }

        // Invariant: bounded by the threshold: once it is reached the oldest is forgotten.
        var threshold = Math.Max(_options.MinimumDatasets, 2 * s.UsualDatasets);
        if (recent.Count >= threshold)
        {
            recent.RemoveAt(0);
        }

        recent.Add((dataset, now));
        if (recent.Count >= threshold)
        {
            raise.Alert(AlertKind.DatasetSweep, recent[0].At, recent.Count, threshold, null);
        }
        else
        {
            s.HourDatasets = Math.Max(s.HourDatasets, recent.Count);
        }
    }

    private void CheckPlaces(in UsageEvent e, long hour, UsageState recipient, ICollection<Alert> alerts)
    {
        var learning = hour - recipient.FirstHour < _options.WarmupHours;
        var raise = new Raiser(e, hour, recipient, e.ClientId is { } c ? new ClientId(c) : null, alerts);
        recipient.Jurisdictions ??= new(StringComparer.Ordinal);
        recipient.Subprocessors ??= new(StringComparer.Ordinal);
        Place(raise, learning, recipient.Jurisdictions, e.Jurisdiction, AlertKind.NewJurisdiction);
        Place(raise, learning, recipient.Subprocessors, e.Subprocessor, AlertKind.NewSubprocessor);
    }

    private static void Place(Raiser raise, bool learning, HashSet<string> seen, string? value, AlertKind kind)
    {
        if (value is null || seen.Contains(value))
        {
            return;
        }

        if (!learning)
        {
            raise.Alert(kind, raise.Time, 1, 0, value);
        }

        if (seen.Count < UsageState.MaxValues)
        {
            seen.Add(value);
        }
    }

    private readonly struct Raiser(UsageEvent e, long hour, UsageState recipient, ClientId? client, ICollection<Alert> alerts)
    {
        public DateTimeOffset Time => e.Time;

        public bool Alert(AlertKind kind, DateTimeOffset first, double observed, double threshold, string? subject)
        {
            if (recipient.LastAlertHour[(int)kind] == hour)
            {
                return true;
            }

            recipient.LastAlertHour[(int)kind] = hour;
            alerts.Add(new Alert(kind, new PartyId(e.Recipient), client, e.Time, first == default ? e.Time : first, observed, threshold, subject));
            return true;
        }
    }
}
