using Concordat.Decisions;

namespace Concordat.Tests.Decisions;

public sealed class DecisionIdTests
{
    [Fact]
    public void FromRandom_TwelveBytes_IsPrefixAndLowercaseHex()
    {
        byte[] random = [0x00, 0x01, 0xab, 0xcd, 0xef, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0xff];

        var id = DecisionId.FromRandom(random);

        Assert.Equal("dec_0001abcdef102030405060ff", id.Value);
        Assert.Equal(id.Value, id.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(16)]
    public void FromRandom_WrongLength_Throws(int length)
    {
        var random = new byte[length];

        Assert.Throws<ArgumentException>(() => DecisionId.FromRandom(random));
    }
}
