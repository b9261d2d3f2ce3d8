using BenchmarkDotNet.Attributes;
using Concordat.Decisions;
using Concordat.Testing.Decisions;

namespace Concordat.Benchmarks.Decisions;

/// <summary>
/// Decisions per second on the reference workload (issue 2 §8) and on the attribute workload of Cedar's shape
/// (issue 12: 50 partners, 200 datasets in 20 collections, 5 groups, 200 grants with conditions, 8 attribute-based
/// prohibitions), cycling 131,072 distinct requests, and the compile time of each workload. Figures in
/// docs/benchmarks.md, section "Decisions". Run:
/// <c>dotnet run -c Release --project benchmarks/Concordat.Benchmarks -- --filter '*DecisionBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class DecisionBenchmarks
{
    private const int Batch = 4096;

    private IReadOnlyList<PolicyAgreement> _agreements = null!;
    private PolicyIndex _index = null!;
    private DecisionRequest[] _requests = null!;
    private int _next;

    /// <summary>Gets or sets the workload: <c>reference</c> (lists) or <c>attributes</c> (conditions, collections, groups).</summary>
    [Params("reference", "attributes")]
    public string Workload { get; set; } = "reference";

    [GlobalSetup]
    public void Setup()
    {
        if (Workload == "attributes")
        {
            var workload = AttributeWorkload.Create();
            (_agreements, _requests) = (workload.Agreements, workload.Requests);
        }
        else
        {
            var workload = ReferenceWorkload.Create();
            (_agreements, _requests) = (workload.Agreements, workload.Requests);
        }

        _index = PolicyIndex.Compile(_agreements);
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

    /// <summary>Compiling the agreements of the workload into an index.</summary>
    [Benchmark]
    public PolicyIndex Compile() => PolicyIndex.Compile(_agreements);
}
