namespace Concordat.Merkle;

/// <summary>
/// A Merkle tree held in memory: every complete node's hash, stored level by level in fixed-size chunks.
/// For tests, benchmarks and tools that check a list of leaves by hand; a log stores its nodes durably instead.
/// </summary>
/// <remarks>
/// Memory is about 64 bytes per leaf (each leaf hash and, on average, one interior hash). Not thread-safe for
/// writers; reads may run concurrently with each other.
/// </remarks>
public sealed class MemoryMerkleHashSource : IMerkleHashSource
{
    private const int ChunkShift = 11;
    private const int ChunkHashes = 1 << ChunkShift;
    private const int ChunkBytes = ChunkHashes * Rfc6962.HashSize;

    private readonly List<List<byte[]>> _levels = [];
    private readonly List<long> _counts = [];
    private readonly CompactMerkleTree _tree = new();
    private readonly List<MerkleNode> _completed = new(64);

    /// <summary>Gets the number of leaves.</summary>
    public long Size => _tree.Size;

    /// <summary>Appends a leaf hash and stores every node it completes.</summary>
    /// <param name="leafHash">The RFC 6962 leaf hash.</param>
    public void Append(MerkleHash leafHash)
    {
        _completed.Clear();
        _tree.Append(leafHash, _completed);
        foreach (var node in _completed)
        {
            Store(node);
        }
    }

    /// <summary>Computes the root hash of the whole tree.</summary>
    /// <returns>The RFC 6962 root hash.</returns>
    public MerkleHash ComputeRoot() => _tree.ComputeRoot();

    /// <summary>Gets the stored hash of one node.</summary>
    /// <param name="id">A complete node.</param>
    /// <returns>Its hash.</returns>
    /// <exception cref="KeyNotFoundException">The node is not complete in this tree.</exception>
    public MerkleHash GetNodeHash(MerkleNodeId id)
    {
        if (id.Level < 0 || id.Level >= _counts.Count || id.Index < 0 || id.Index >= _counts[id.Level])
        {
            throw new KeyNotFoundException($"node `{id}` is not stored: the tree has {Size} leaves");
        }

        var chunk = _levels[id.Level][(int)(id.Index >> ChunkShift)];
        var offset = (int)(id.Index & (ChunkHashes - 1)) * Rfc6962.HashSize;
        return MerkleHash.FromBytes(chunk.AsSpan(offset, Rfc6962.HashSize));
    }

    /// <inheritdoc/>
    public ValueTask ReadNodeHashesAsync(IReadOnlyList<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (destination.Length < ids.Count)
        {
            throw new ArgumentException("the destination has fewer slots than ids", nameof(destination));
        }

        var span = destination.Span;
        for (var i = 0; i < ids.Count; i++)
        {
            span[i] = GetNodeHash(ids[i]);
        }

        return ValueTask.CompletedTask;
    }

    private void Store(MerkleNode node)
    {
        var level = node.Id.Level;
        if (level == _levels.Count)
        {
            _levels.Add([]);
            _counts.Add(0);
        }

        // Invariant: the builder completes the nodes of a level strictly left to right, so each is the next slot.
        var count = _counts[level];
        var chunks = _levels[level];
        if ((count & (ChunkHashes - 1)) == 0)
        {
            chunks.Add(GC.AllocateUninitializedArray<byte>(ChunkBytes));
        }

        node.Hash.Bytes.CopyTo(chunks[^1].AsSpan((int)(count & (ChunkHashes - 1)) * Rfc6962.HashSize));
        _counts[level] = count + 1;
    }
}
