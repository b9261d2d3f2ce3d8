namespace Concordat.Incidents.Detection;

/// <summary>
/// The thresholds of the detectors, one set per workspace (its <c>detection.json</c>; see
/// <see cref="DetectionOptionsReader"/>). Every default is documented, with the
/// false-positive rate it gives on a synthetic normal week, in docs/design/incidents.md.
/// </summary>
/// <remarks>
/// The baseline detectors (volume, request rate, deny rate, token bursts, off-hours) stay silent for a recipient or
/// identity until it has been seen for <see cref="WarmupHours"/> and active in <see cref="WarmupActiveHours"/> hours:
/// an unlearned baseline would alert on every first day.
/// </remarks>
public sealed record DetectionOptions
{
    /// <summary>The default of <see cref="WarmupHours"/>.</summary>
    public const int DefaultWarmupHours = 24;

    /// <summary>The default of <see cref="WarmupActiveHours"/>.</summary>
    public const int DefaultWarmupActiveHours = 8;

    /// <summary>The default of <see cref="SpikeFactor"/>.</summary>
    public const double DefaultSpikeFactor = 4;

    /// <summary>The default of <see cref="MinimumRows"/>.</summary>
    public const long DefaultMinimumRows = 10_000;

    /// <summary>The default of <see cref="MinimumBytes"/>.</summary>
    public const long DefaultMinimumBytes = 10 * 1024 * 1024;

    /// <summary>The default of <see cref="MinimumRequests"/>.</summary>
    public const int DefaultMinimumRequests = 100;

    /// <summary>The default of <see cref="MinimumDenies"/>.</summary>
    public const int DefaultMinimumDenies = 10;

    /// <summary>The default of <see cref="MinimumDenyShare"/>.</summary>
    public const double DefaultMinimumDenyShare = 0.5;

    /// <summary>The default of <see cref="MinimumTokens"/>.</summary>
    public const int DefaultMinimumTokens = 30;

    /// <summary>The default of <see cref="DatasetSweepWindowMinutes"/>.</summary>
    public const int DefaultDatasetSweepWindowMinutes = 15;

    /// <summary>The default of <see cref="MinimumDatasets"/>.</summary>
    public const int DefaultMinimumDatasets = 6;

    /// <summary>The default of <see cref="WarmStartHours"/>: a week, so the weekend hours are judged again at once, and the warm-up day.</summary>
    public const int DefaultWarmStartHours = 8 * 24;

    /// <summary>Gets the options with every default.</summary>
    public static DetectionOptions Default { get; } = new();

    /// <summary>Gets the hours a recipient or identity is watched before the baseline detectors may alert.</summary>
    /// <value>Defaults to <see cref="DefaultWarmupHours"/>.</value>
    public int WarmupHours { get; init; } = DefaultWarmupHours;

    /// <summary>Gets the hours with traffic needed before the baseline detectors may alert.</summary>
    /// <value>Defaults to <see cref="DefaultWarmupActiveHours"/>.</value>
    public int WarmupActiveHours { get; init; } = DefaultWarmupActiveHours;

    /// <summary>Gets how many times the learned hourly baseline a count must exceed to be a spike.</summary>
    /// <value>Defaults to <see cref="DefaultSpikeFactor"/>.</value>
    public double SpikeFactor { get; init; } = DefaultSpikeFactor;

    /// <summary>Gets the fewest rows in an hour that can be a volume spike.</summary>
    /// <value>Defaults to <see cref="DefaultMinimumRows"/>.</value>
    public long MinimumRows { get; init; } = DefaultMinimumRows;

    /// <summary>Gets the fewest bytes in an hour that can be a volume spike.</summary>
    /// <value>Defaults to <see cref="DefaultMinimumBytes"/> (10 MiB).</value>
    public long MinimumBytes { get; init; } = DefaultMinimumBytes;

    /// <summary>Gets the fewest decisions in an hour that can be a request-rate spike.</summary>
    /// <value>Defaults to <see cref="DefaultMinimumRequests"/>.</value>
    public int MinimumRequests { get; init; } = DefaultMinimumRequests;

    /// <summary>Gets the fewest denies and refusals in an hour that can be a deny-rate spike.</summary>
    /// <value>Defaults to <see cref="DefaultMinimumDenies"/>.</value>
    public int MinimumDenies { get; init; } = DefaultMinimumDenies;

    /// <summary>Gets the smallest share of denied requests in an hour (0 to 1) that can be a deny-rate spike.</summary>
    /// <value>Defaults to <see cref="DefaultMinimumDenyShare"/>.</value>
    public double MinimumDenyShare { get; init; } = DefaultMinimumDenyShare;

    /// <summary>Gets the fewest tokens issued in an hour that can be a token burst.</summary>
    /// <value>Defaults to <see cref="DefaultMinimumTokens"/>.</value>
    public int MinimumTokens { get; init; } = DefaultMinimumTokens;

    /// <summary>Gets the window, in minutes, in which distinct datasets are counted.</summary>
    /// <value>Defaults to <see cref="DefaultDatasetSweepWindowMinutes"/>.</value>
    public int DatasetSweepWindowMinutes { get; init; } = DefaultDatasetSweepWindowMinutes;

    /// <summary>Gets the fewest distinct datasets in the window that can be a dataset sweep.</summary>
    /// <value>Defaults to <see cref="DefaultMinimumDatasets"/>.</value>
    public int MinimumDatasets { get; init; } = DefaultMinimumDatasets;

    /// <summary>
    /// Gets the hours of the log, up to its newest entry, that a gateway's detectors replay at start-up to learn their
    /// baselines again (0: they start afresh). The replay reads those entries only, never the whole log.
    /// </summary>
    /// <value>Defaults to <see cref="DefaultWarmStartHours"/>.</value>
    public int WarmStartHours { get; init; } = DefaultWarmStartHours;
}
