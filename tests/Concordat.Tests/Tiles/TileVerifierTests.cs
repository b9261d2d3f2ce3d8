using Concordat.Log;
using Concordat.Merkle;
using Concordat.Testing.Log;
using Concordat.Testing.Merkle;
using Concordat.Tiles;

namespace Concordat.Tests.Tiles;

/// <summary>
/// Tiles read from a stored log hold what the spec defines (checked against the naive reference tree), and the
/// verifier accepts them and finds each kind of change.
/// </summary>
public sealed class TileVerifierTests
{
    // One stored tree of 70,000 entries serves every smaller tree size too (tiles are read within a size), so the
    // tests that change nothing share it.
    private static readonly Lazy<Task<MemoryLogStorage>> s_shared = new(() => StorageOfAsync(70_000));

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(1000)]
    [InlineData(65536 + 300)]
    public async Task ReadAsync_EveryTile_HoldsTheSpecsHashesAndEntries(int size)
    {
        var storage = await s_shared.Value;
        var reference = new ReferenceMerkleTree(Enumerable.Range(0, size).Select(i => LogTestData.Entry(i)));

        // Above a few thousand entries only the upper levels and the right edge are compared, to keep the test fast.
        foreach (var tile in TileLayout.EnumerateTiles(size).Where(t => size < 5000 || t.Level > 0 || t.IsPartial || t.Index == 0))
        {
            var bytes = await LogTiles.ReadAsync(storage, tile, size, default);

            Assert.NotNull(bytes);
            if (tile.IsEntryBundle)
            {
                Assert.True(EntryBundle.TryParse(bytes, tile.Width, out var entries, out var error), error);
                Assert.Equal(Enumerable.Range(0, tile.Width).Select(i => LogTestData.Entry(tile.StartEntry + i)), entries);
                continue;
            }

            // Spec: hash i is MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]).
            var span = 1 << (8 * tile.Level);
            var expected = Enumerable.Range(0, tile.Width)
                .SelectMany(i => reference.Root((int)(((tile.Index * 256) + i) * span), (int)(((tile.Index * 256) + i + 1) * span)))
                .ToArray();
            Assert.Equal(expected, bytes);
        }
    }

    [Fact]
    public async Task ReadAsync_TileBeyondTheTree_IsNull()
    {
        var storage = await s_shared.Value;

        Assert.Null(await LogTiles.ReadAsync(storage, TileAddress.HashTile(0, 1), 300, default));
        Assert.Null(await LogTiles.ReadAsync(storage, TileAddress.HashTile(0, 1, 45), 300, default));
        Assert.NotNull(await LogTiles.ReadAsync(storage, TileAddress.HashTile(0, 1, 44), 300, default));
        Assert.NotNull(await LogTiles.ReadAsync(storage, TileAddress.HashTile(0, 0, 7), 300, default));
        Assert.Null(await LogTiles.ReadAsync(storage, TileAddress.HashTile(1, 0, 2), 300, default));
        Assert.Null(await LogTiles.ReadAsync(storage, TileAddress.HashTile(8, 0, 1), 300, default));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(700)]
    [InlineData(65536 + 257)]
    public async Task VerifyAsync_FullCheckOfAnUntouchedLog_Holds(int size)
    {
        var storage = await s_shared.Value;
        var source = new StorageTiles(storage, size);
        var read = new List<long>();

        var result = await TileVerifier.VerifyAsync(source, new TileCheck(size, await RootOfAsync(size)) with
        {
            IsFull = true,
            ReadEntriesFrom = size / 2,
            OnEntry = (index, _) =>
            {
                read.Add(index);
                return ValueTask.CompletedTask;
            },
        }, default);

        Assert.True(result.IsValid, result.Problem?.Message);
        Assert.Equal(size, result.EntriesChecked);
        Assert.Equal(Enumerable.Range(size / 2, size - (size / 2)).Select(i => (long)i), read);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(255, 256)]
    [InlineData(256, 257)]
    [InlineData(300, 70000)]
    [InlineData(65536, 65537)]
    [InlineData(69999, 70000)]
    public async Task VerifyAsync_OlderTreeIsAPrefix_IsConsistentWithoutReadingEverything(int older, int size)
    {
        var storage = await s_shared.Value;
        var source = new StorageTiles(storage, size);

        var result = await TileVerifier.VerifyAsync(source, new TileCheck(size, await RootOfAsync(size)) { OlderTreeSize = older, OlderRootHash = await RootOfAsync(older) }, default);

        Assert.True(result.IsValid, result.Problem?.Message);
        Assert.True(result.TilesRead <= 8, $"{result.TilesRead} tiles read");
    }

    [Fact]
    public async Task VerifyAsync_OlderTreeNotAPrefix_ReportsAFork()
    {
        var storage = await s_shared.Value;
        var forked = RootOf(Enumerable.Range(0, 300).Select(i => LogTestData.Entry(i == 7 ? 1_000_000 : i)));

        var result = await TileVerifier.VerifyAsync(new StorageTiles(storage, 600), new TileCheck(600, await RootOfAsync(600)) { OlderTreeSize = 300, OlderRootHash = forked }, default);

        Assert.Equal(LogErrorCodes.TreeNotConsistent, result.Problem?.Error);
    }

    [Fact]
    public async Task VerifyAsync_RootOfAnotherTree_ReportsTilesNotSigned()
    {
        var storage = await s_shared.Value;

        var result = await TileVerifier.VerifyAsync(new StorageTiles(storage, 600), new TileCheck(600, await RootOfAsync(599)), default);

        Assert.Equal(LogErrorCodes.TilesNotSigned, result.Problem?.Error);
    }

    [Fact]
    public async Task VerifyAsync_ChangedEntry_ReportsTheEntry()
    {
        await using var storage = await StorageOfAsync(600);
        storage.Tamper(300, LogTestData.Entry(99_999));

        var result = await TileVerifier.VerifyAsync(new StorageTiles(storage, 600), new TileCheck(600, await RootOfAsync(600)) { IsFull = true }, default);

        Assert.Equal(LogErrorCodes.BundleEntryChanged, result.Problem?.Error);
        Assert.Equal(300, result.Problem!.EntryIndex);
    }

    [Fact]
    public async Task VerifyAsync_FullTileChangedWithItsEntry_ReportsTilesNotSigned()
    {
        await using var storage = await StorageOfAsync(600);
        storage.Tamper(3, LogTestData.Entry(99_999));
        storage.TamperHash(new MerkleNodeId(0, 3), MerkleHash.OfLeaf(LogTestData.Entry(99_999)).ToArray());

        var result = await TileVerifier.VerifyAsync(new StorageTiles(storage, 600), new TileCheck(600, await RootOfAsync(600)) { IsFull = true }, default);

        Assert.Equal(LogErrorCodes.TilesNotSigned, result.Problem?.Error);
        Assert.Equal(0, result.Problem!.EntryIndex);
    }

    [Fact]
    public async Task VerifyAsync_MissingOrCutTile_IsReported()
    {
        var storage = await s_shared.Value;
        var check = new TileCheck(600, await RootOfAsync(600)) { IsFull = true };

        var missing = await TileVerifier.VerifyAsync(new StorageTiles(storage, 600) { Change = (tile, bytes) => tile.Index == 1 && tile.IsEntryBundle ? null : bytes }, check, default);
        var cut = await TileVerifier.VerifyAsync(new StorageTiles(storage, 600) { Change = (tile, bytes) => tile.Level == 0 && tile.Index == 0 ? bytes![..^1] : bytes }, check, default);

        Assert.Equal(LogErrorCodes.TileMissing, missing.Problem?.Error);
        Assert.Equal(LogErrorCodes.TileMalformed, cut.Problem?.Error);
    }

    [Fact]
    public async Task VerifyAsync_Inclusions_HoldForTheRightLeafAndNotAnother()
    {
        var storage = await s_shared.Value;
        var check = new TileCheck(700, await RootOfAsync(700));

        var held = await TileVerifier.VerifyAsync(new StorageTiles(storage, 700), check with { Inclusions = [(513, MerkleHash.OfLeaf(LogTestData.Entry(513))), (0, MerkleHash.OfLeaf(LogTestData.Entry(0)))] }, default);
        var wrong = await TileVerifier.VerifyAsync(new StorageTiles(storage, 700), check with { Inclusions = [(513, MerkleHash.OfLeaf(LogTestData.Entry(512)))] }, default);
        var beyond = await TileVerifier.VerifyAsync(new StorageTiles(storage, 700), check with { Inclusions = [(700, MerkleHash.OfLeaf(LogTestData.Entry(700)))] }, default);

        Assert.True(held.IsValid, held.Problem?.Message);
        Assert.Equal(LogErrorCodes.EntryNotIncluded, wrong.Problem?.Error);
        Assert.Equal(LogErrorCodes.EntryNotIncluded, beyond.Problem?.Error);
    }

    internal static async Task<MemoryLogStorage> StorageOfAsync(int size)
    {
        var storage = new MemoryLogStorage();
        if (size > 0)
        {
            Assert.True(await storage.TryAppendAsync(LogTestData.Batch(new CompactMerkleTree(), 0, size), default));
        }

        return storage;
    }

    private static async Task<MerkleHash> RootOfAsync(int size) =>
        await MerkleProofs.ComputeRootAsync(new LogHashSource(await s_shared.Value), size);

    private static MerkleHash RootOf(IEnumerable<byte[]> entries)
    {
        var tree = new CompactMerkleTree();
        foreach (var entry in entries)
        {
            tree.Append(MerkleHash.OfLeaf(entry));
        }

        return tree.ComputeRoot();
    }

    private sealed class StorageTiles(ILogStorage storage, long treeSize) : ITileSource
    {
        public Func<TileAddress, byte[]?, byte[]?> Change { get; init; } = (_, bytes) => bytes;

        public Task<byte[]> ReadCheckpointAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public async Task<byte[]?> ReadTileAsync(TileAddress tile, CancellationToken cancellationToken) =>
            Change(tile, await LogTiles.ReadAsync(storage, tile, treeSize, cancellationToken));
    }
}
