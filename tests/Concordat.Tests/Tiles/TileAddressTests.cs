using Concordat.Tiles;

namespace Concordat.Tests.Tiles;

public sealed class TileAddressTests
{
    [Theory]
    [InlineData("tile/0/000", 0, 0L, 256)]
    [InlineData("tile/0/x001/x234/067", 0, 1234067L, 256)]
    [InlineData("tile/1/x001/234.p/17", 1, 1234L, 17)]
    [InlineData("tile/63/999.p/1", 63, 999L, 1)]
    [InlineData("tile/entries/x001/000", TileAddress.EntriesLevel, 1000L, 256)]
    [InlineData("tile/entries/273.p/112", TileAddress.EntriesLevel, 273L, 112)]
    public void TryParsePath_SpecPath_RoundTrips(string path, int level, long index, int width)
    {
        Assert.True(TileAddress.TryParsePath(path, out var tile));

        Assert.Equal(new TileAddress(level, index, width), tile);
        Assert.Equal(path, tile.ToPath());
    }

    [Theory]
    [InlineData("tile/0/1")]
    [InlineData("tile/0/0000")]
    [InlineData("tile/0/x000/001")]
    [InlineData("tile/0/001/002")]
    [InlineData("tile/0/y001/002")]
    [InlineData("tile/00/001")]
    [InlineData("tile/64/001")]
    [InlineData("tile/-1/001")]
    [InlineData("tile/0/001.p/0")]
    [InlineData("tile/0/001.p/256")]
    [InlineData("tile/0/001.p/017")]
    [InlineData("tile/0/001.p/")]
    [InlineData("tile/0/x001")]
    [InlineData("tile/0/")]
    [InlineData("tile/entry/001")]
    [InlineData("tiles/0/001")]
    [InlineData("/tile/0/001")]
    [InlineData("tile/0/001/")]
    [InlineData("tile/0/x999/x999/x999/x999/x999/x999/x999/999")]
    [InlineData("")]
    public void TryParsePath_NotTheSpecsOnePath_IsRefused(string path)
    {
        Assert.False(TileAddress.TryParsePath(path, out _));
    }

    [Fact]
    public void StartEntry_IsNTimes256ToTheLevelPlusOne()
    {
        Assert.Equal(256 * 5, TileAddress.EntryBundle(5).StartEntry);
        Assert.Equal(256 * 5, TileAddress.HashTile(0, 5).StartEntry);
        Assert.Equal(65536 * 5, TileAddress.HashTile(1, 5, 3).StartEntry);
        Assert.Equal(0, TileAddress.HashTile(63, 0).StartEntry);
        Assert.Equal(long.MaxValue, TileAddress.HashTile(63, 1).StartEntry);
    }
}
