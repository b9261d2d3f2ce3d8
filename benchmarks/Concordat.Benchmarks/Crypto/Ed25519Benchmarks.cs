using BenchmarkDotNet.Attributes;
using Concordat.Crypto;

namespace Concordat.Benchmarks.Crypto;

/// <summary>
/// Ed25519 signing and verification of a 200-byte message (about a checkpoint's size) through the library's key
/// types, so the figure includes what the library adds around the Ed25519 package. Figures in docs/benchmarks.md,
/// section "Ed25519".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class Ed25519Benchmarks
{
    private readonly byte[] _message = new byte[200];
    private Ed25519PrivateKey _key = null!;
    private byte[] _signature = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(8032).NextBytes(_message);
        var seed = new byte[Ed25519PrivateKey.SeedSize];
        new Random(25519).NextBytes(seed);
        _key = Ed25519PrivateKey.FromSeed(seed);
        _signature = _key.Sign(_message);
    }

    /// <summary>Signs the message.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Sign() => _key.Sign(_message);

    /// <summary>Verifies the message's signature.</summary>
    [Benchmark]
    public bool Verify() => _key.PublicKey.Verify(_message, _signature);
}
