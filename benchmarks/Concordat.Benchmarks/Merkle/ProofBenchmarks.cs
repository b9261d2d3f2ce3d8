using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Concordat.Merkle;

namespace Concordat.Benchmarks.Merkle;

/// <summary>
/// Inclusion and consistency proofs on a tree of 1 M and 10 M leaves held in a <see cref="MemoryMerkleHashSource"/>:
/// generation (O(log n) node reads and hashing of the right border) and RFC 9162 verification. Each operation uses
/// the next of 1,024 random indices or sizes. Figures in docs/benchmarks.md, section "Merkle proofs".
/// </summary>
/// <remarks>
/// Runs in process (one launch, 3 warm-up and 5 measured iterations): building a separate benchmark executable
/// times out on the shared 2-core machine, and the setup of a 10 M-leaf tree is paid once per benchmark either way.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class ProofBenchmarks
{
    private const int Probes = 1024;

    private MemoryMerkleHashSource _source = null!;
    private long[] _indices = null!;
    private long[] _oldSizes = null!;
    private IReadOnlyList<MerkleHash>[] _inclusionProofs = null!;
    private IReadOnlyList<MerkleHash>[] _consistencyProofs = null!;
    private MerkleHash[] _leafHashes = null!;
    private MerkleHash[] _oldRoots = null!;
    private MerkleHash _root;
    private long _size;
    private int _next;

    /// <summary>Gets or sets the number of leaves in the tree.</summary>
    [Params(1_000_000, 10_000_000)]
    public int Leaves { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _source = new MemoryMerkleHashSource();
        Span<byte> leaf = stackalloc byte[8];
        for (var i = 0; i < Leaves; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(leaf, i);
            _source.Append(MerkleHash.OfLeaf(leaf));
        }

        // Invariant: odd sizes give proofs with a partial right border, the costlier case.
        _size = Leaves - 1;
        _root = MerkleProofs.ComputeRootAsync(_source, _size).AsTask().GetAwaiter().GetResult();
        var random = new Random(6962);
        _indices = new long[Probes];
        _oldSizes = new long[Probes];
        _inclusionProofs = new IReadOnlyList<MerkleHash>[Probes];
        _consistencyProofs = new IReadOnlyList<MerkleHash>[Probes];
        _leafHashes = new MerkleHash[Probes];
        _oldRoots = new MerkleHash[Probes];
        for (var i = 0; i < Probes; i++)
        {
            _indices[i] = random.NextInt64(0, _size);
            _oldSizes[i] = random.NextInt64(1, _size);
            _leafHashes[i] = _source.GetNodeHash(new MerkleNodeId(0, _indices[i]));
            _inclusionProofs[i] = MerkleProofs.CreateInclusionProofAsync(_source, _indices[i], _size).AsTask().GetAwaiter().GetResult();
            _consistencyProofs[i] = MerkleProofs.CreateConsistencyProofAsync(_source, _oldSizes[i], _size).AsTask().GetAwaiter().GetResult();
            _oldRoots[i] = MerkleProofs.ComputeRootAsync(_source, _oldSizes[i]).AsTask().GetAwaiter().GetResult();
        }
    }

    [Benchmark]
    public ValueTask<IReadOnlyList<MerkleHash>> CreateInclusionProof() =>
        MerkleProofs.CreateInclusionProofAsync(_source, _indices[Next()], _size);

    [Benchmark]
    public ValueTask<IReadOnlyList<MerkleHash>> CreateConsistencyProof() =>
        MerkleProofs.CreateConsistencyProofAsync(_source, _oldSizes[Next()], _size);

    [Benchmark]
    public bool VerifyInclusion()
    {
        var i = Next();
        return MerkleProofVerifier.VerifyInclusion(_leafHashes[i], _indices[i], _size, _inclusionProofs[i], _root).IsValid;
    }

    [Benchmark]
    public bool VerifyConsistency()
    {
        var i = Next();
        return MerkleProofVerifier.VerifyConsistency(_oldSizes[i], _size, _oldRoots[i], _root, _consistencyProofs[i]).IsValid;
    }


    private int Next()
    {
        var i = _next;
        _next = (i + 1) & (Probes - 1);
        return i;
    }
}
