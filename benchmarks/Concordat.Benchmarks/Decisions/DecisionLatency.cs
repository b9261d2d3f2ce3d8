using System.Diagnostics;
using Concordat.Decisions;
using Concordat.Testing.Decisions;

namespace Concordat.Benchmarks.Decisions;

/// <summary>
/// The sampled latency of one decision on the reference workload: Stopwatch ticks over batches of a few
/// decisions, divided by the batch size, then percentiles. Run with <c>-- decisions-latency</c>.
/// </summary>
public static class DecisionLatency
{
    private const int BatchSize = 8;
    private const int Samples = 500_000;

    public static void Run(TextWriter output)
    {
        var workload = ReferenceWorkload.Create();
        var index = PolicyIndex.Compile(workload.Agreements);
        MeasureCpuTime(output, workload);
        var requests = workload.Requests;
        var mask = requests.Length - 1;
        for (var round = 0; round < 3; round++)
        {
            foreach (var request in requests)
            {
                index.Decide(in request);
            }
        }

        var samples = new double[Samples];
        var next = 0;
        var permits = 0;
        for (var s = 0; s < Samples; s++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < BatchSize; i++)
            {
                permits += index.Decide(in requests[next]).IsPermit ? 1 : 0;
                next = (next + 1) & mask;
            }

            samples[s] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / BatchSize;
        }

        Array.Sort(samples);
        output.WriteLine($"decision latency over {Samples:N0} samples of {BatchSize} decisions ({permits:N0} permits):");
        foreach (var percentile in new[] { 0.50, 0.90, 0.99, 0.999 })
        {
            output.WriteLine($"  p{percentile * 100:0.#}: {samples[(int)(percentile * (Samples - 1))]:F0} ns");
        }

        output.WriteLine($"  max: {samples[^1]:F0} ns");
    }

    // On a shared machine wall-clock figures include time other processes hold the core; processor time of this
    // process does not, so it is reported alongside (the decision loop allocates nothing, so no GC thread runs).
    private static void MeasureCpuTime(TextWriter output, ReferenceWorkload workload)
    {
        var process = Process.GetCurrentProcess();
        var compileRounds = 20;
        var before = process.TotalProcessorTime;
        PolicyIndex index = null!;
        for (var i = 0; i < compileRounds; i++)
        {
            index = PolicyIndex.Compile(workload.Agreements);
        }

        process.Refresh();
        var compile = (process.TotalProcessorTime - before).TotalMilliseconds / compileRounds;
        var requests = workload.Requests;
        foreach (var request in requests)
        {
            index.Decide(in request);
        }

        const int Decisions = 20_000_000;
        var mask = requests.Length - 1;
        var permits = 0;
        process.Refresh();
        before = process.TotalProcessorTime;
        for (var i = 0; i < Decisions; i++)
        {
            permits += index.Decide(in requests[i & mask]).IsPermit ? 1 : 0;
        }

        process.Refresh();
        var seconds = (process.TotalProcessorTime - before).TotalSeconds;
        output.WriteLine($"processor time: compile {compile:F1} ms per index (mean of {compileRounds}, including GC); {Decisions / seconds:N0} decisions per processor-second ({Decisions:N0} decisions, {permits:N0} permits)");
    }
}
