using System.Globalization;
using Concordat.Log;
using Concordat.Merkle;

namespace Concordat.Tiles;

/// <summary>
/// Checks a tiled log that nobody needs to trust against a signed checkpoint: the tiles hash to its root, an older
/// checkpoint's tree is a prefix of it, chosen leaves are in it, and every entry hashes to its leaf.
/// </summary>
/// <remarks>
/// <para>A tile is trusted only once it is tied to the signed root: the partial tiles of the right edge together hash to
/// the root, and a full tile hashes to its hash in the tile one level up, which is itself tied, up to the right edge
/// (as the Go checksum database's tile reader does). So a source can only serve the data the checkpoint commits to.</para>
/// <para>Consistency with an older checkpoint is shown by rebuilding the older root from tied tiles; inclusion by
/// finding the leaf hash in a tied level-0 tile. No proof needs to be served.</para>
/// </remarks>
public sealed class TileVerifier
{
    private readonly ITileSource _source;
    private readonly TileCheck _check;
    private readonly Dictionary<(int Level, long Index), MerkleHash[]> _tied = [];
    private long _tilesRead;
    private long _entriesChecked;

    private TileVerifier(ITileSource source, TileCheck check)
    {
        _source = source;
        _check = check;
    }

    /// <summary>Checks a tiled log as <paramref name="check"/> asks.</summary>
    /// <param name="source">Where the tiles are read from.</param>
    /// <param name="check">The signed tree and what to check of it.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>What was read, and the first problem found.</returns>
    /// <exception cref="IOException">The source cannot be read (not a verification failure).</exception>
    /// <exception cref="ArgumentException">The check asks for an older tree larger than the signed one, or entries without a full check.</exception>
    public static async Task<TileVerification> VerifyAsync(ITileSource source, TileCheck check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(check);
        ArgumentOutOfRangeException.ThrowIfNegative(check.TreeSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(check.TreeSize, CompactMerkleTree.MaxSize);
        ArgumentOutOfRangeException.ThrowIfNegative(check.OlderTreeSize);
        if (check.OlderTreeSize > check.TreeSize)
        {
            throw new ArgumentException("the older tree is larger than the signed one: compare the sizes first", nameof(check));
        }

        var verifier = new TileVerifier(source, check);
        try
        {
            await verifier.RunAsync(cancellationToken).ConfigureAwait(false);
            return new TileVerification(check.TreeSize, verifier._tilesRead, verifier._entriesChecked, null);
        }
        catch (TileProblemException ex)
        {
            return new TileVerification(check.TreeSize, verifier._tilesRead, verifier._entriesChecked, ex.Problem);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await TieRightEdgeAsync(cancellationToken).ConfigureAwait(false);
        if (_check.OlderTreeSize > 0)
        {
            var older = await ComputeRootAsync(_check.OlderTreeSize, cancellationToken).ConfigureAwait(false);
            if (older != _check.OlderRootHash)
            {
                throw Fail(LogErrorCodes.TreeNotConsistent, $"the tree of size {_check.TreeSize} does not extend the saved tree of size {_check.OlderTreeSize}: its first {_check.OlderTreeSize} entries hash to `{older}`, not the saved `{_check.OlderRootHash}`", null);
            }
        }

        foreach (var (index, leafHash) in _check.Inclusions)
        {
            if (index < 0 || index >= _check.TreeSize)
            {
                throw Fail(LogErrorCodes.EntryNotIncluded, $"entry {index} is beyond the signed tree of size {_check.TreeSize}", index);
            }

            var tile = await ReadTiedAsync(0, index / TileAddress.FullWidth, cancellationToken).ConfigureAwait(false);
            if (tile[index % TileAddress.FullWidth] != leafHash)
            {
                throw Fail(LogErrorCodes.EntryNotIncluded, $"entry {index} of the signed tree has leaf hash `{tile[index % TileAddress.FullWidth]}`, not `{leafHash}`", index);
            }
        }

        if (_check.IsFull)
        {
            await CheckEverythingAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    // Spec: c2sp.org/tlog-tiles — the partial tile at level L has floor(s / 256^L) mod 256 hashes; together, read as the
    // perfect subtrees of each width's bits, they are the tree's RFC 6962 decomposition, so they hash to the root.
    private async Task TieRightEdgeAsync(CancellationToken cancellationToken)
    {
        var edge = new List<(int Level, long Index, MerkleHash[] Hashes)>();
        for (var level = TileLayout.TopLevel; level >= 0; level--)
        {
            if (TileLayout.TileOf(level, TileLayout.FullTiles(level, _check.TreeSize), _check.TreeSize) is { } tile)
            {
                edge.Add((level, tile.Index, await ReadHashTileAsync(tile, cancellationToken).ConfigureAwait(false)));
            }
        }

        var root = Fold(edge.Select(e => (e.Hashes, e.Hashes.Length)));
        if (root != _check.RootHash)
        {
            throw Fail(LogErrorCodes.TilesNotSigned, $"the right edge tiles of the tree of size {_check.TreeSize} hash to `{root}`, not the signed root `{_check.RootHash}`", null);
        }

        foreach (var (level, index, hashes) in edge)
        {
            _tied[(level, index)] = hashes;
        }
    }

    private async Task<MerkleHash> ComputeRootAsync(long treeSize, CancellationToken cancellationToken)
    {
        var parts = new List<(MerkleHash[] Hashes, int Count)>();
        for (var level = TileLayout.TopLevel; level >= 0; level--)
        {
            var width = TileLayout.PartialWidth(level, treeSize);
            if (width > 0)
            {
                // Invariant: the older tree's partial tile is a prefix of the same tile in the signed tree.
                parts.Add((await ReadTiedAsync(level, TileLayout.FullTiles(level, treeSize), cancellationToken).ConfigureAwait(false), width));
            }
        }

        return Fold(parts);
    }

    private async Task CheckEverythingAsync(CancellationToken cancellationToken)
    {
        // Every hash tile is tied through its parents as the level-0 tiles are read, so reading the bundles and level 0
        // reads the whole tree; upper tiles whose level-0 tiles all exist are tied on the way.
        var from = Math.Max(_check.ReadEntriesFrom, 0) / TileAddress.FullWidth;
        foreach (var bundle in TileLayout.EnumerateTiles(_check.TreeSize).Where(t => t.IsEntryBundle))
        {
            var entries = await ReadBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
            if (_check.OnEntry is { } onEntry && _check.ReadEntriesFrom >= 0 && bundle.Index >= from)
            {
                for (var i = 0; i < entries.Count; i++)
                {
                    var index = bundle.StartEntry + i;
                    if (index >= _check.ReadEntriesFrom)
                    {
                        await onEntry(index, entries[i]).ConfigureAwait(false);
                    }
                }
            }
        }

        foreach (var tile in TileLayout.EnumerateTiles(_check.TreeSize, entryBundles: false))
        {
            await ReadTiedAsync(tile.Level, tile.Index, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<byte[]>> ReadBundleAsync(TileAddress bundle, CancellationToken cancellationToken)
    {
        var leaves = await ReadTiedAsync(0, bundle.Index, cancellationToken).ConfigureAwait(false);
        var bytes = await FetchAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (!EntryBundle.TryParse(bytes, bundle.Width, out var entries, out var error))
        {
            throw Fail(LogErrorCodes.TileMalformed, $"entry bundle `{bundle}`: {error}", bundle.StartEntry);
        }

        for (var i = 0; i < entries.Count; i++)
        {
            if (MerkleHash.OfLeaf(entries[i]) != leaves[i])
            {
                throw Fail(LogErrorCodes.BundleEntryChanged, $"entry {bundle.StartEntry + i} in bundle `{bundle}` does not hash to its leaf hash `{leaves[i]}`: the entry was changed", bundle.StartEntry + i);
            }
        }

        _entriesChecked += entries.Count;
        return entries;
    }

    // Reads tile (level, index) as the signed tree has it, once, and only after tying it to the signed root.
    private async Task<MerkleHash[]> ReadTiedAsync(int level, long index, CancellationToken cancellationToken)
    {
        if (_tied.TryGetValue((level, index), out var tied))
        {
            return tied;
        }

        // Invariant: the right edge is tied first, so an untied tile here is full and has a parent in the tree.
        var tile = TileLayout.TileOf(level, index, _check.TreeSize);
        if (tile is not { IsPartial: false } full || level >= TileLayout.TopLevel)
        {
            throw new InvalidOperationException($"tile {level}/{index} is not a full tile of the tree of size {_check.TreeSize}");
        }

        var parent = await ReadTiedAsync(level + 1, index / TileAddress.FullWidth, cancellationToken).ConfigureAwait(false);
        var hashes = await ReadHashTileAsync(full, cancellationToken).ConfigureAwait(false);
        var hash = Fold([(hashes, hashes.Length)]);
        var expected = parent[index % TileAddress.FullWidth];
        if (hash != expected)
        {
            throw Fail(LogErrorCodes.TilesNotSigned, $"tile `{full}` hashes to `{hash}`, not `{expected}` as its parent tile says", full.StartEntry);
        }

        _tied[(level, index)] = hashes;
        return hashes;
    }

    private async Task<MerkleHash[]> ReadHashTileAsync(TileAddress tile, CancellationToken cancellationToken)
    {
        var bytes = await FetchAsync(tile, cancellationToken).ConfigureAwait(false);
        if (bytes.Length != tile.Width * Rfc6962.HashSize)
        {
            throw Fail(LogErrorCodes.TileMalformed, string.Create(CultureInfo.InvariantCulture, $"tile `{tile}` is {bytes.Length} bytes, not {tile.Width * Rfc6962.HashSize} ({tile.Width} hashes)"), tile.StartEntry);
        }

        var hashes = new MerkleHash[tile.Width];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = MerkleHash.FromBytes(bytes.AsSpan(i * Rfc6962.HashSize, Rfc6962.HashSize));
        }

        return hashes;
    }

    private async Task<byte[]> FetchAsync(TileAddress tile, CancellationToken cancellationToken)
    {
        _tilesRead++;
        return await _source.ReadTileAsync(tile, cancellationToken).ConfigureAwait(false)
            ?? throw Fail(LogErrorCodes.TileMissing, $"`{tile.ToPath()}` is not served, though the signed tree of size {_check.TreeSize} holds it", tile.StartEntry);
    }

    // Spec: RFC 6962 §2.1 — a count of hashes at one level is the perfect subtrees of its set bits, largest on the left;
    // the parts of all levels, highest level first, are hashed together from the right.
    private static MerkleHash Fold(IEnumerable<(MerkleHash[] Hashes, int Count)> parts)
    {
        var subtrees = new List<MerkleHash>();
        foreach (var (hashes, count) in parts)
        {
            var at = 0;
            for (var bit = TileAddress.Height; bit >= 0; bit--)
            {
                var size = 1 << bit;
                if ((count & size) != 0)
                {
                    subtrees.Add(HashPerfect(hashes.AsSpan(at, size)));
                    at += size;
                }
            }
        }

        return MerkleTreeMath.Fold(subtrees, 0, subtrees.Count);
    }

    private static MerkleHash HashPerfect(ReadOnlySpan<MerkleHash> hashes)
    {
        if (hashes.Length == 1)
        {
            return hashes[0];
        }

        var half = hashes.Length / 2;
        return MerkleHash.OfChildren(HashPerfect(hashes[..half]), HashPerfect(hashes[half..]));
    }

    private static TileProblemException Fail(Core.ErrorCode error, string message, long? entryIndex) => new(new LogProblem(error, message, entryIndex));

    private sealed class TileProblemException(LogProblem problem) : Exception(problem.Message)
    {
        public LogProblem Problem { get; } = problem;
    }
}
