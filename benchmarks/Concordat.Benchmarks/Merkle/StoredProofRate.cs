using System.Diagnostics;

namespace Concordat.Benchmarks.Merkle;

/// <summary>
/// Proofs from a stored SQLite log, one after another for a fixed time, with the process CPU time per proof
/// beside the wall time: on a shared machine the CPU time shows the cost of the code, the wall time also the
/// waiting for a core. Run with <c>-- stored-proof-rate [entries] [seconds] [sqlite|postgres]</c>; it uses the log
/// and probes of <see cref="StoredProofBenchmarks"/> (PostgreSQL: a fresh database on CONCORDAT_BENCH_PG's server).
/// </summary>
public static class StoredProofRate
{
    public static async Task RunAsync(TextWriter output, int entries, int seconds, string engine = "sqlite")
    {
        foreach (var cached in new[] { false, true })
        {
            var benchmarks = new StoredProofBenchmarks { Entries = entries, Cached = cached, Engine = engine };
            await benchmarks.SetupAsync();
            try
            {
                // Warm up (tiered compilation, page cache, the cache), then measure each proof kind for the given time.
                await MeasureAsync(benchmarks.CreateInclusionProof, TimeSpan.FromSeconds(1));
                await MeasureAsync(benchmarks.CreateConsistencyProof, TimeSpan.FromSeconds(1));
                var inclusion = await MeasureAsync(benchmarks.CreateInclusionProof, TimeSpan.FromSeconds(seconds));
                var consistency = await MeasureAsync(benchmarks.CreateConsistencyProof, TimeSpan.FromSeconds(seconds));
                output.WriteLine($"stored proofs, {engine}, {entries:N0} entries, {(cached ? "with" : "without")} the hash cache: inclusion {inclusion.Wall:F1} µs wall, {inclusion.Cpu:F1} µs CPU per proof ({inclusion.Count:N0} proofs); consistency {consistency.Wall:F1} µs wall, {consistency.Cpu:F1} µs CPU per proof ({consistency.Count:N0} proofs)");
            }
            finally
            {
                await benchmarks.CleanupAsync();
            }
        }
    }

    private static async Task<(double Wall, double Cpu, long Count)> MeasureAsync(Func<ValueTask<IReadOnlyList<Concordat.Merkle.MerkleHash>>> proof, TimeSpan duration)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long count = 0;
        while (watch.Elapsed < duration)
        {
            await proof();
            count++;
        }

        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return (watch.Elapsed.TotalMicroseconds / count, cpu.TotalMicroseconds / count, count);
    }
}
