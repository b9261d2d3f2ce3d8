namespace Concordat.Merkle;

/// <summary>
/// RFC 6962 / RFC 9162 root hashes, inclusion proofs and consistency proofs, built from the stored hashes of perfect
/// subtrees with O(log n) reads.
/// </summary>
/// <remarks>
/// Every method reads its nodes with one call to <see cref="IMerkleHashSource.ReadNodeHashesAsync"/>. Proof elements are
/// ordered as RFC 6962 §2.1.1 and §2.1.2 order them (bottom-up), so any RFC 9162 verifier accepts them.
/// </remarks>
public static class MerkleProofs
{
    /// <summary>Computes the root hash of the tree of the first <paramref name="size"/> leaves.</summary>
    /// <param name="source">The stored node hashes.</param>
    /// <param name="size">The tree size; the source MUST hold at least this many leaves.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The RFC 6962 root hash; <see cref="MerkleHash.Empty"/> for size 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is negative or above <see cref="CompactMerkleTree.MaxSize"/>.</exception>
    public static ValueTask<MerkleHash> ComputeRootAsync(IMerkleHashSource source, long size, CancellationToken cancellationToken = default) =>
        ComputeRangeRootAsync(source, 0, size, cancellationToken);

    /// <summary>
    /// Computes the RFC 6962 hash of the subtree of leaves [<paramref name="begin"/>, <paramref name="end"/>), which must
    /// be a node of some tree: <paramref name="begin"/> MUST be a multiple of the smallest power of two not below the
    /// range's length (for example [0, n), [8, 13) or [8, 16), but not [4, 12)).
    /// </summary>
    /// <param name="source">The stored node hashes.</param>
    /// <param name="begin">The first leaf index.</param>
    /// <param name="end">One past the last leaf index.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The hash of the subtree; <see cref="MerkleHash.Empty"/> for an empty range.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is reversed, too large or not aligned.</exception>
    public static async ValueTask<MerkleHash> ComputeRangeRootAsync(IMerkleHashSource source, long begin, long end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(begin);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, begin);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, CompactMerkleTree.MaxSize);
        var length = end - begin;
        if (length > 1 && begin % (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)length) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(begin), $"[{begin}, {end}) is not a subtree: its start must be a multiple of a power of two not below its length");
        }

        var plan = new ProofPlan();
        plan.AddRange(begin, end);
        var hashes = await plan.ReadAsync(source, cancellationToken).ConfigureAwait(false);
        return MerkleTreeMath.Fold(hashes, 0, hashes.Length);
    }

    /// <summary>Builds the inclusion proof (audit path) of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves.</summary>
    /// <param name="source">The stored node hashes.</param>
    /// <param name="index">The leaf index, below <paramref name="size"/>.</param>
    /// <param name="size">The tree size; the source MUST hold at least this many leaves.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The proof hashes, bottom-up (RFC 6962 §2.1.1 PATH).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index is not inside the tree or the size is too large.</exception>
    public static async ValueTask<IReadOnlyList<MerkleHash>> CreateInclusionProofAsync(IMerkleHashSource source, long index, long size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, CompactMerkleTree.MaxSize);
        var plan = new ProofPlan();
        plan.AddPath(0, index, size);
        return await plan.AssembleAsync(source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the consistency proof from the tree of <paramref name="size1"/> leaves to the tree of <paramref name="size2"/>.</summary>
    /// <param name="source">The stored node hashes.</param>
    /// <param name="size1">The older tree size, 0 to <paramref name="size2"/>.</param>
    /// <param name="size2">The newer tree size; the source MUST hold at least this many leaves.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The proof hashes (RFC 6962 §2.1.2 PROOF); empty when <paramref name="size1"/> is 0 or equals <paramref name="size2"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are negative, reversed or too large.</exception>
    public static async ValueTask<IReadOnlyList<MerkleHash>> CreateConsistencyProofAsync(IMerkleHashSource source, long size1, long size2, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(size1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size2, size1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size2, CompactMerkleTree.MaxSize);
        if (size1 == 0 || size1 == size2)
        {
            return [];
        }

        var start = MerkleTreeMath.ConsistencyStart(size1);
        var plan = new ProofPlan();
        if (start.Index != 0)
        {
            plan.AddNode(start);
        }

        plan.AddPath(start.Level, start.Index, size2);
        return await plan.AssembleAsync(source, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The nodes a proof needs, and how they group into proof elements.</summary>
    private sealed class ProofPlan
    {
        private readonly List<MerkleNodeId> _ids = new(2 * 64);
        private readonly List<int> _elementSizes = new(64);
        private readonly List<(long Begin, long End)> _ranges = new(64);

        public void AddNode(MerkleNodeId id)
        {
            _ids.Add(id);
            _elementSizes.Add(1);
        }

        public void AddRange(long begin, long end)
        {
            var before = _ids.Count;
            MerkleTreeMath.AddRangeNodes(begin, end, _ids);
            _elementSizes.Add(_ids.Count - before);
        }

        public void AddPath(int level, long index, long size)
        {
            _ranges.Clear();
            MerkleTreeMath.WalkPath(level, index, size, _ranges);
            foreach (var (begin, end) in _ranges)
            {
                AddRange(begin, end);
            }
        }

        public async ValueTask<MerkleHash[]> ReadAsync(IMerkleHashSource source, CancellationToken cancellationToken)
        {
            var hashes = new MerkleHash[_ids.Count];
            if (hashes.Length > 0)
            {
                await source.ReadNodeHashesAsync(_ids, hashes, cancellationToken).ConfigureAwait(false);
            }

            return hashes;
        }

        public async ValueTask<IReadOnlyList<MerkleHash>> AssembleAsync(IMerkleHashSource source, CancellationToken cancellationToken)
        {
            var hashes = await ReadAsync(source, cancellationToken).ConfigureAwait(false);
            var proof = new MerkleHash[_elementSizes.Count];
            var offset = 0;
            for (var i = 0; i < proof.Length; i++)
            {
                proof[i] = MerkleTreeMath.Fold(hashes, offset, _elementSizes[i]);
                offset += _elementSizes[i];
            }

            return proof;
        }
    }
}
