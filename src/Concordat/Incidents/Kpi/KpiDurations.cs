namespace Concordat.Incidents.Kpi;

/// <summary>A set of measured durations, summarised: how many, the median and the longest, in seconds.</summary>
/// <param name="Count">How many were measured.</param>
/// <param name="MedianSeconds">The median (the mean of the middle two for an even count), or null when none was measured.</param>
/// <param name="MaxSeconds">The longest, or null when none was measured.</param>
public sealed record KpiDurations(int Count, double? MedianSeconds, double? MaxSeconds)
{
    /// <summary>Summarises <paramref name="durations"/>.</summary>
    /// <param name="durations">The durations.</param>
    /// <returns>The summary.</returns>
    public static KpiDurations Of(IEnumerable<TimeSpan> durations)
    {
        var seconds = durations.Select(d => d.TotalSeconds).Order().ToList();
        if (seconds.Count == 0)
        {
            return new KpiDurations(0, null, null);
        }

        var middle = seconds.Count / 2;
        var median = seconds.Count % 2 == 1 ? seconds[middle] : (seconds[middle - 1] + seconds[middle]) / 2;
        return new KpiDurations(seconds.Count, median, seconds[^1]);
    }
}
