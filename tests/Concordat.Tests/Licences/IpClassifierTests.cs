using Concordat.Agreements;
using Concordat.Licences;

namespace Concordat.Tests.Licences;

public sealed class IpClassifierTests
{
    [Fact]
    public void Classify_ForegroundOfJointAgreement_IsOwnedByEveryParty()
    {
        var result = IpClassifier.Classify(SampleAgreement.Read("hospital-research.yaml"), new IpArtifact("risk-model@1", ArtifactKind.Model, IpCategory.Foreground, new PartyId("northwind-research")));

        Assert.Empty(result.Findings);
        Assert.Equal([new PartyId("st-aurelia"), new PartyId("northwind-research")], result.Owners);
    }

    [Fact]
    public void Classify_ForegroundOwnedByNamedParty_IsThatPartys()
    {
        var result = IpClassifier.Classify(SampleAgreement.Read("redteam-engagement.yaml"), new IpArtifact("jailbreak-report", ArtifactKind.Finding, IpCategory.Foreground, new PartyId("sentinel-security")));

        Assert.Equal([new PartyId("atlas-models")], result.Owners);
    }

    [Fact]
    public void Classify_ForegroundOfDiscovererAgreement_IsTheCreators()
    {
        var agreement = SampleAgreement.Read("redteam-engagement.yaml");
        agreement = agreement with { IntellectualProperty = agreement.IntellectualProperty! with { Foreground = ForegroundOwnership.Discoverer } };

        var result = IpClassifier.Classify(agreement, new IpArtifact("fuzzer", ArtifactKind.Tool, IpCategory.Foreground, new PartyId("sentinel-security")));

        Assert.Equal([new PartyId("sentinel-security")], result.Owners);
    }

    [Fact]
    public void Classify_BackgroundOfAParty_StaysWithIt()
    {
        var result = IpClassifier.Classify(SampleAgreement.Read("redteam-engagement.yaml"), new IpArtifact("attack-library", ArtifactKind.Tool, IpCategory.Background, new PartyId("sentinel-security")));

        Assert.Empty(result.Findings);
        Assert.Equal([new PartyId("sentinel-security")], result.Owners);
    }

    [Fact]
    public void Classify_NoForegroundTerms_OwnerUndetermined()
    {
        var result = IpClassifier.Classify(SampleAgreement.Read("foundation-evaluation.yaml"), new IpArtifact("eval-scores", ArtifactKind.Finding, IpCategory.Foreground, new PartyId("meridian-ai")));

        Assert.Empty(result.Owners);
        Assert.Equal("PRV5120", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public void Classify_BackgroundNotDeclared_Warns()
    {
        var result = IpClassifier.Classify(SampleAgreement.Read("foundation-evaluation.yaml"), new IpArtifact("corpus", ArtifactKind.Dataset, IpCategory.Background, new PartyId("open-knowledge")));

        Assert.Equal([new PartyId("open-knowledge")], result.Owners);
        Assert.Equal(("PRV5121", false), (Assert.Single(result.Findings).Code, result.Findings[0].IsError));
    }

    [Theory]
    [InlineData("MIT", "")]
    [InlineData("Apache-2.0 OR GPL-2.0-only", "")]
    [InlineData("GPL-2.0-only", "PRV5114")]
    public void Classify_ThirdParty_LicenceMustBeOneTheAgreementAllows(string licence, string codes)
    {
        var result = IpClassifier.Classify(SampleAgreement.Read("redteam-engagement.yaml"), new IpArtifact("tokenizer", ArtifactKind.Tool, IpCategory.ThirdParty, ExternalOwner: "Example Corp", Licence: licence));

        Assert.Equal(codes, string.Join(" ", result.Findings.Select(f => f.Code)));
        Assert.Equal("Example Corp", result.ExternalOwner);
        Assert.Empty(result.Owners);
    }
}
