using BenchmarkDotNet.Attributes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Transparency;
using Concordat.Incidents.Detection;
using Concordat.Log;
using Concordat.Storage.Sqlite;
using Concordat.Testing.Incidents;

namespace Concordat.Benchmarks.Incidents;

/// <summary>
/// Log entries judged per second by the detectors as the gateway's background reader feeds them: read back from a
/// SQLite store through the gateway's log (<see cref="LogHost"/>) by the shared <see cref="LogCursor"/>, a page of
/// 1,000 at a time, each parsed and observed once on one thread. The store holds two weeks of the synthetic normal
/// traffic of <see cref="Recipients"/> recipients (50: 315,842 entries). The baseline observes the same entries parsed
/// in memory beforehand (as <see cref="DetectorBenchmarks"/> does), so the ratio is the cost of reading the store;
/// <see cref="ReadThroughCursor"/> reads and parses without observing, which splits that cost from the detectors'.
/// Figures in docs/benchmarks.md, section "Detectors".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class DetectorCursorBenchmarks
{
    // Appends issued in order, a batch at a time, so the store holds the traffic in time order (the queue is FIFO).
    private const int AppendBatch = 8_192;

    private IReadOnlyList<LogEntry> _entries = [];
    private string? _workspace;
    private SqliteStoreEngine? _engine;
    private LogHost? _host;

    /// <summary>Gets or sets the number of recipients (three identities each).</summary>
    [Params(50)]
    public int Recipients { get; set; }

    // Synchronous: the in-process toolchain does not await an asynchronous set-up, and the benchmarks would start on a
    // store still being filled.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _entries = new SyntheticTraffic(7) { Recipients = Recipients }.NormalWeeks(2).Entries();
        _workspace = Directory.CreateTempSubdirectory("concordat-bench-detect-").FullName;
        var storage = SqliteLogStorage.Open(_workspace);
        await using (storage.ConfigureAwait(false))
        {
            var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);
            await using (log.ConfigureAwait(false))
            {
                for (var start = 0; start < _entries.Count; start += AppendBatch)
                {
                    var batch = _entries.Skip(start).Take(AppendBatch).Select(e => log.AppendAsync(e, default)).ToList();
                    var results = await Task.WhenAll(batch);
                    if (results.Any(r => r.IsPushback))
                    {
                        throw new InvalidOperationException("the log pushed back while the benchmark's store was filled");
                    }
                }
            }
        }

        _engine = new SqliteStoreEngine(_workspace);
        _host = new LogHost(GatewayWorkspace.OpenOrCreate(_workspace), _engine, TimeProvider.System);
        if (await _host.OpenAsync(default) is { } damage)
        {
            throw new InvalidOperationException(damage.Message);
        }

        var held = await _host.ReadTreeSizeAsync(default);
        if (held != _entries.Count)
        {
            throw new InvalidOperationException($"the store holds {held} entries, not {_entries.Count}");
        }
    }

    private async Task CleanupAsync()
    {
        await _host!.DisposeAsync();
        await _engine!.DisposeAsync();
        Directory.Delete(_workspace!, recursive: true);
    }

    /// <summary>Observes the entries parsed in memory beforehand, with fresh detectors.</summary>
    [Benchmark(Baseline = true)]
    public int ObserveFromMemory()
    {
        var detector = new UsageDetector();
        var alerts = new List<Alert>();
        foreach (var entry in _entries)
        {
            detector.Observe(entry, alerts);
        }

        return alerts.Count + _entries.Count;
    }

    /// <summary>Reads and parses every entry from the store through a fresh cursor, observing none: the part of <see cref="ObserveThroughCursor"/> that is not the detectors'.</summary>
    [Benchmark]
    public async Task<long> ReadThroughCursor()
    {
        var parsed = 0L;
        var cursor = new LogCursor(_host!);
        await cursor.CatchUpAsync((_, entry) => parsed += entry is null ? 0 : 1, default);
        return parsed + cursor.Next;
    }

    /// <summary>Reads every entry from the store through a fresh cursor and observes it with fresh detectors; divide the entry count by the mean for entries per second.</summary>
    [Benchmark]
    public async Task<long> ObserveThroughCursor()
    {
        var detector = new UsageDetector();
        var alerts = new List<Alert>();
        var cursor = new LogCursor(_host!);
        await cursor.CatchUpAsync((_, entry) =>
        {
            if (entry is not null)
            {
                detector.Observe(entry, alerts);
            }
        }, default);
        return alerts.Count + cursor.Next;
    }
}
