using Concordat.Agreements;
using Concordat.Gateway.Datasets;
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

    [Theory]
    [InlineData("cardiology-records\n", false)]
    [InlineData("cardiology-records", true)]
    public void DatasetStoreIsValidId_TrailingNewline_IsRefused(string id, bool valid)
    {
        Assert.Equal(valid, DatasetStore.IsValidId(new DatasetId(id)));
    }
}
