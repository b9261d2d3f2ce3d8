using BenchmarkDotNet.Attributes;
using Concordat.Agreements;
using Concordat.Privacy;

namespace Concordat.Benchmarks.Egress;

/// <summary>
/// One pseudonym of a short field (14 bytes) with the reused HMAC-SHA256 instance: the cost that bounds egress with
/// pseudonymised fields.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(3)]
[IterationCount(5)]
public class PseudonymiserBenchmarks
{
    private readonly byte[] _value = "NHS-4857773456"u8.ToArray();
    private readonly byte[] _output = new byte[Pseudonymiser.PseudonymLength];
    private PseudonymKey _key = null!;
    private Pseudonymiser _pseudonymiser = null!;

    [GlobalSetup]
    public void Setup()
    {
        _key = PseudonymKey.Derive(new byte[32], new PartyId("lab"), new DatasetId("patients"));
        _pseudonymiser = new Pseudonymiser(_key);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _pseudonymiser.Dispose();
        _key.Dispose();
    }

    [Benchmark]
    public int Pseudonymise() => _pseudonymiser.Pseudonymise(_value, _output);
}
