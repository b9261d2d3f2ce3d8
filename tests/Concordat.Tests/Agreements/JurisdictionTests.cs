using Concordat.Agreements;

namespace Concordat.Tests.Agreements;

public sealed class JurisdictionTests
{
    [Fact]
    public void ExpandGroups_Eu_AdmitsMembersAndKeepsTheGroup()
    {
        var expanded = Jurisdiction.ExpandGroups([new Jurisdiction("EU")]);

        Assert.Contains(new Jurisdiction("DE"), expanded);
        Assert.Contains(new Jurisdiction("EU"), expanded);
        Assert.DoesNotContain(new Jurisdiction("GB"), expanded);
        Assert.DoesNotContain(new Jurisdiction("NO"), expanded);
    }

    [Fact]
    public void ExpandGroups_CountriesOnly_ReturnsThemUnchanged()
    {
        var expanded = Jurisdiction.ExpandGroups([new Jurisdiction("GB"), new Jurisdiction("CH")]);

        Assert.Equal([new Jurisdiction("CH"), new Jurisdiction("GB")], expanded);
    }
}
