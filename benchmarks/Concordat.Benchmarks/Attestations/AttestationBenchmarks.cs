using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;

namespace Concordat.Benchmarks.Attestations;

/// <summary>
/// Attestations signed and verified per second through the one code path (<see cref="Attestation"/>): a statement
/// with 10 subjects and a small predicate, canonicalised, wrapped in a DSSE envelope and signed; and the envelope's
/// JSON parsed, its signature verified and its statement read back. Figures in docs/benchmarks.md, section
/// "Attestations".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class AttestationBenchmarks
{
    private InTotoStatement _statement = null!;
    private NoteSignerKey _key = null!;
    private DsseVerifierKey[] _trusted = null!;
    private byte[] _envelope = null!;

    [GlobalSetup]
    public void Setup()
    {
        var seed = new byte[Ed25519PrivateKey.SeedSize];
        new Random(25519).NextBytes(seed);
        var privateKey = Ed25519PrivateKey.FromSeed(seed);
        _key = new NoteSignerKey("bench", NoteKey.ComputeKeyId("bench", privateKey.PublicKey), privateKey);
        _trusted = [DsseVerifierKey.FromNoteKey(_key.VerifierKey)];
        var subjects = Enumerable.Range(0, 10)
            .Select(i => AttestationSubject.FromSha256($"data/part-{i:D5}.csv", Sha256Digest.Compute(BitConverter.GetBytes(i))))
            .ToArray();
        _statement = new InTotoStatement(subjects, AttestationPredicateTypes.Artifact, new JsonObject { ["kind"] = "folder" });
        _envelope = Attestation.Sign(_statement, _key).ToJson();
    }

    /// <summary>Signs the statement and writes the envelope's JSON.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Sign() => Attestation.Sign(_statement, _key).ToJson();

    /// <summary>Parses the envelope, verifies its signature and reads the statement.</summary>
    [Benchmark]
    public bool Verify() => Attestation.Verify(_envelope, _trusted, AttestationPredicateTypes.Artifact).IsVerified;
}
