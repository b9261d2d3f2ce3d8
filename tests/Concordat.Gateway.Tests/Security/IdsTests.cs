using Concordat.Gateway.Security;

namespace Concordat.Gateway.Tests.Security;

public sealed class IdsTests
{
    [Theory]
    [InlineData("zz\n")]
    [InlineData("zz\r\n")]
    [InlineData("\nzz")]
    [InlineData("")]
    [InlineData("..")]
    public void IsValid_NotAnId_IsFalse(string id)
    {
        Assert.False(Ids.IsValid(id));
        Assert.False(Ids.TryReadOptionalParty(id, out _));
    }

    [Fact]
    public void IsValid_PlainId_IsTrue()
    {
        Assert.True(Ids.IsValid("northwind-research"));
    }
}
