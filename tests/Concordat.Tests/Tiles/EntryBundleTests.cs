using Concordat.Tiles;

namespace Concordat.Tests.Tiles;

public sealed class EntryBundleTests
{
    [Fact]
    public void Encode_Entries_AreBigEndianUInt16LengthPrefixed()
    {
        ReadOnlyMemory<byte>[] entries = [new byte[] { 0x61 }, new byte[300], Array.Empty<byte>()];

        var bundle = EntryBundle.Encode(entries);

        Assert.Equal(2 + 1 + 2 + 300 + 2, bundle.Length);
        Assert.Equal(new byte[] { 0x00, 0x01, 0x61, 0x01, 0x2c }, bundle[..5]);
        Assert.Equal(new byte[] { 0x00, 0x00 }, bundle[^2..]);
    }

    [Fact]
    public void TryParse_EncodedBundle_GivesTheEntriesBack()
    {
        var entries = Enumerable.Range(0, 256).Select(i => Enumerable.Repeat((byte)i, i * 3).ToArray()).ToList();

        Assert.True(EntryBundle.TryParse(EntryBundle.Encode(entries.Select(e => (ReadOnlyMemory<byte>)e).ToList()), 256, out var parsed, out var error), error);

        Assert.Equal(entries, parsed);
    }

    [Fact]
    public void Encode_LargestEntry_FitsAndOneMoreByteDoesNot()
    {
        Assert.Equal(2 + ushort.MaxValue, EntryBundle.Encode([new byte[EntryBundle.MaxEntrySize]]).Length);
        Assert.Throws<ArgumentException>(() => EntryBundle.Encode([new byte[EntryBundle.MaxEntrySize + 1]]));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01, 0x61 }, 2)]
    [InlineData(new byte[] { 0x00, 0x01, 0x61, 0x00, 0x00 }, 1)]
    [InlineData(new byte[] { 0x00, 0x02, 0x61 }, 1)]
    [InlineData(new byte[] { 0x00, 0x01, 0x61, 0x00 }, 2)]
    [InlineData(new byte[] { }, 1)]
    public void TryParse_WrongCountOrCutShort_IsRefused(byte[] bundle, int count)
    {
        Assert.False(EntryBundle.TryParse(bundle, count, out _, out var error));
        Assert.NotEmpty(error);
    }
}
