namespace Concordat.Incidents.Detection;

/// <summary>
/// What the detectors keep for one recipient or one of its identities: the counts of the current hour, the learned
/// baselines, the hours of the week used, the recent datasets and, for a recipient, the jurisdictions and
/// subprocessors seen.
/// </summary>
/// <remarks>
/// Invariant: bounded size: fixed arrays, at most <see cref="MaxValues"/> jurisdictions and subprocessors, at most
/// the sweep threshold of recent datasets. The detector keeps one per recipient and one per identity, never one per
/// entry.
/// </remarks>
internal sealed class UsageState(long firstHour)
{
    /// <summary>The most jurisdictions (and subprocessors) remembered per recipient.</summary>
    public const int MaxValues = 64;

    public long FirstHour { get; } = firstHour;

    public long Hour { get; set; } = firstHour;

    public int ActiveHours { get; set; }

    // The counts of the current hour, and when each first went above its expectation (time-to-detect starts there).
    public double Requests;
    public double Denies;
    public double Rows;
    public double Bytes;
    public double Tokens;
    public DateTimeOffset RequestsAboveSince;
    public DateTimeOffset DeniesAboveSince;
    public DateTimeOffset RowsAboveSince;
    public DateTimeOffset BytesAboveSince;
    public DateTimeOffset TokensAboveSince;

    public HourlyBaseline RequestBaseline { get; } = new();

    public HourlyBaseline RowBaseline { get; } = new();

    public HourlyBaseline ByteBaseline { get; } = new();

    public HourlyBaseline TokenBaseline { get; } = new();

    /// <summary>Gets the learned share of denied requests over active hours.</summary>
    public double DenyShare { get; set; }

    /// <summary>Gets how many active hours each slot of the week (weekday/weekend × hour of day) has had.</summary>
    public int[] SlotUse { get; } = new int[48];

    /// <summary>Gets the hour of the last alert of each kind (for the recipient: either level), so an alert fires once an hour.</summary>
    public long[] LastAlertHour { get; } = Enumerable.Repeat(long.MinValue, 8).ToArray();

    /// <summary>Gets the datasets asked for recently, with when each was last asked for.</summary>
    public List<(string Dataset, DateTimeOffset At)> RecentDatasets { get; } = [];

    /// <summary>Gets the most distinct datasets seen in one window of the closed hours, without an alert.</summary>
    public int UsualDatasets { get; private set; }

    /// <summary>Gets the most distinct datasets seen in one window in the current hour, without an alert.</summary>
    public int HourDatasets { get; set; }

    public HashSet<string>? Jurisdictions { get; set; }

    public HashSet<string>? Subprocessors { get; set; }

    /// <summary>Closes the hours before <paramref name="hour"/>: learns their counts and starts the new hour at zero.</summary>
    public void AdvanceTo(long hour)
    {
        if (hour <= Hour)
        {
            return;
        }

        var active = Requests + Rows + Tokens > 0;
        LearnHour(Hour, active);

        // An idle gap teaches its slots zeros; two days of them are as much as a slot's EWMA can remember.
        for (var h = Math.Max(Hour + 1, hour - 48); h < hour; h++)
        {
            LearnHour(h, false);
        }

        // Invariant: learned when the hour closes, so a sweep under way cannot raise its own threshold.
        UsualDatasets = Math.Max(UsualDatasets, HourDatasets);
        HourDatasets = 0;
        Hour = hour;
        Requests = Denies = Rows = Bytes = Tokens = 0;
        RequestsAboveSince = DeniesAboveSince = RowsAboveSince = BytesAboveSince = TokensAboveSince = default;
    }

    /// <summary>The slot of the week (0–23 weekday hours, 24–47 weekend hours, UTC) of an hour since the epoch.</summary>
    public static int SlotOf(long hour)
    {
        // 1970-01-01 was a Thursday: day 0 is Thursday, so days 2 and 3 (mod 7) are Saturday and Sunday.
        var day = (int)((hour / 24) % 7);
        var isWeekend = day is 2 or 3;
        return (isWeekend ? 24 : 0) + (int)(hour % 24);
    }

    private void LearnHour(long hour, bool active)
    {
        var slot = SlotOf(hour);
        RequestBaseline.Learn(slot, active ? Requests : 0, active);
        RowBaseline.Learn(slot, active ? Rows : 0, active);
        ByteBaseline.Learn(slot, active ? Bytes : 0, active);
        TokenBaseline.Learn(slot, active ? Tokens : 0, active);
        if (active)
        {
            ActiveHours++;
            SlotUse[slot]++;
            DenyShare += HourlyBaseline.ActiveAlpha * ((Requests > 0 ? Denies / Requests : 0) - DenyShare);
        }
    }
}
