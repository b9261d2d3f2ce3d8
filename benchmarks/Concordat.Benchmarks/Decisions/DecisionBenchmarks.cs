using BenchmarkDotNet.Attributes;
using Concordat.Decisions;
using Concordat.Testing.Decisions;

namespace Concordat.Benchmarks.Decisions;

/// <summary>
/// Decisions per second on the reference workload (issue 2 §8), cycling 131,072 distinct requests, and the
/// compile time of the workload. Figures in docs/benchmarks.md, section "Decisions".
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class DecisionBenchmarks
{
    private const int Batch = 4096;

    private ReferenceWorkload _workload = null!;
    private PolicyIndex _index = null!;
    private DecisionRequest[] _requests = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _workload = ReferenceWorkload.Create();
        _index = PolicyIndex.Compile(_workload.Agreements);
        _requests = _workload.Requests;
        foreach (var request in _requests)
        {
            _index.Decide(in request);
        }
    }

    /// <summary>The cost of walking the requests without deciding: what the loop itself costs.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public long CycleRequests()
    {
        var requests = _requests;
        var mask = requests.Length - 1;
        var start = _next;
        long sum = 0;
        for (var i = 0; i < Batch; i++)
        {
            sum += (int)requests[(start + i) & mask].Action;
        }

        _next = (start + Batch) & mask;
        return sum;
    }

    /// <summary>One decision per operation, each on the next request of the cycle.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public int Decide()
    {
        var requests = _requests;
        var index = _index;
        var mask = requests.Length - 1;
        var start = _next;
        var permits = 0;
        for (var i = 0; i < Batch; i++)
        {
            permits += index.Decide(in requests[(start + i) & mask]).IsPermit ? 1 : 0;
        }

        _next = (start + Batch) & mask;
        return permits;
    }

    /// <summary>Compiling the 50 agreements of the workload into an index.</summary>
    [Benchmark]
    public PolicyIndex Compile() => PolicyIndex.Compile(_workload.Agreements);
}
