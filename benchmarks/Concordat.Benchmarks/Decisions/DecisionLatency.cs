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
}
