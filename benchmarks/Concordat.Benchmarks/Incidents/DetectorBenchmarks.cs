using BenchmarkDotNet.Attributes;
using Concordat.Incidents.Detection;
using Concordat.Log;
using Concordat.Testing.Incidents;

namespace Concordat.Benchmarks.Incidents;

/// <summary>
/// Log entries judged per second by the detectors on one thread (goal: at least 50,000), over the synthetic normal
/// traffic of <see cref="Recipients"/> recipients (three identities each) for two weeks, as the gateway's background
/// reader feeds them: one <see cref="UsageDetector.Observe(LogEntry, ICollection{Alert})"/> per entry, parsing
/// included. The memory column shows the detector's state, which grows with recipients and identities, not entries.
/// Figures in docs/benchmarks.md, section "Detectors".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class DetectorBenchmarks
{
    private IReadOnlyList<LogEntry> _entries = null!;

    /// <summary>Gets or sets the number of recipients.</summary>
    [Params(2, 50)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void Setup() => _entries = new SyntheticTraffic(7) { Recipients = Recipients }.NormalWeeks(2).Entries();

    /// <summary>Observes every entry once with fresh detectors; divide by the entry count for entries per second.</summary>
    [Benchmark]
    public int ObserveTwoWeeks()
    {
        var detector = new UsageDetector();
        var alerts = new List<Alert>();
        foreach (var entry in _entries)
        {
            detector.Observe(entry, alerts);
        }

        return alerts.Count + _entries.Count;
    }
}
