using System.Collections.Concurrent;
using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// A bounded cache of a log's upper subtree hashes, for the <see cref="LogHashSource"/>s of one long-lived reader
/// (the gateway's proof endpoints).
/// </summary>
/// <remarks>
/// <para>
/// Why: a proof reads about 2 log2 n stored hashes, one query's worth of B-tree seeks. Those at level
/// <see cref="MinLevel"/> and above are few (one per 256 leaves) and shared by many proofs, so keeping them saves most
/// of the seeks. A stored subtree hash never changes once written (only complete subtrees are stored), so a cached
/// hash is never stale.
/// </para>
/// <para>
/// Memory is bounded by the capacity, not by the log's size: when the cache is full it is emptied and refills with
/// what proofs ask for. Safe for concurrent use.
/// </para>
/// <para>
/// Security: <c>concordat log verify</c> and checkpoint signing read storage, never this cache, so a stored hash
/// changed after it was cached is still found; proofs served from the cache carry the hash as first read.
/// </para>
/// </remarks>
public sealed class LogHashCache
{
    /// <summary>The lowest level kept: subtrees of 256 leaves and larger.</summary>
    public const int MinLevel = 8;

    private readonly ConcurrentDictionary<MerkleNodeId, MerkleHash> _hashes = new();
    private readonly int _capacity;
    private int _count;

    /// <summary>Creates an empty cache.</summary>
    /// <param name="capacity">The most hashes kept; 65,536 (about 6 MiB) covers the upper levels of a 16 M entry log.</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is not positive.</exception>
    public LogHashCache(int capacity = 65_536)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
    }

    /// <summary>Gets the number of hashes kept now.</summary>
    public int Count => Volatile.Read(ref _count);

    internal bool TryGet(MerkleNodeId id, out MerkleHash hash)
    {
        if (id.Level >= MinLevel)
        {
            return _hashes.TryGetValue(id, out hash);
        }

        hash = default;
        return false;
    }

    internal void Add(MerkleNodeId id, MerkleHash hash)
    {
        if (id.Level < MinLevel)
        {
            return;
        }

        if (Volatile.Read(ref _count) >= _capacity)
        {
            // Invariant: the count may briefly run ahead of the dictionary under races; both only bound memory.
            _hashes.Clear();
            Volatile.Write(ref _count, 0);
        }

        if (_hashes.TryAdd(id, hash))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
