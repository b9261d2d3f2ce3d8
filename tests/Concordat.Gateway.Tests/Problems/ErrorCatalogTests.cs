using Concordat.Gateway.Problems;
using Concordat.Testing.Core;

namespace Concordat.Gateway.Tests.Problems;

public sealed class ErrorCatalogTests
{
    [Fact]
    public void All_EveryTableOfTheGatewayAndItsLibraries_IsServed()
    {
        var declared = ErrorCodeTables.Find(typeof(GatewayApp).Assembly).Select(d => d.Entry.Code).Order(StringComparer.Ordinal);

        Assert.Equal(declared, ErrorCatalog.All.Select(e => e.Code).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("gw6001", "GW6001")]
    [InlineData("Agr2006", "AGR2006")]
    [InlineData("LOG4125", "LOG4125")]
    public void TryFind_CodeInAnyCase_FindsItsEntry(string asked, string code)
    {
        Assert.True(ErrorCatalog.TryFind(asked, out var entry));
        Assert.Equal(code, entry.Code);
    }
}
