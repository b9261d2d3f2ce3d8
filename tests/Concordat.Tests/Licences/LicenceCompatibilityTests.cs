using Concordat.Agreements;
using Concordat.Licences;

namespace Concordat.Tests.Licences;

public sealed class LicenceCompatibilityTests
{
    // The rule table of docs/design/licences.md, one row per kind: input licence, model licence, use, the codes found.
    [Theory]
    [InlineData("CC0-1.0", "LicenseRef-Proprietary", ModelUse.Commercial, "")]
    [InlineData("MIT", "LicenseRef-Proprietary", ModelUse.Commercial, "")]
    [InlineData("Apache-2.0", "MIT", ModelUse.Commercial, "")]
    [InlineData("CC-BY-4.0", "LicenseRef-Proprietary", ModelUse.Commercial, "PRV5115")]
    [InlineData("CC-BY-SA-4.0", "CC-BY-SA-4.0", ModelUse.Commercial, "PRV5115")]
    [InlineData("CC-BY-SA-4.0", "GPL-3.0-only", ModelUse.Commercial, "PRV5115")]
    [InlineData("CC-BY-SA-4.0", "MIT", ModelUse.Research, "PRV5111 PRV5115")]
    [InlineData("ODbL-1.0", "ODbL-1.0", ModelUse.Commercial, "PRV5115")]
    [InlineData("ODbL-1.0", "CC-BY-SA-4.0", ModelUse.Commercial, "PRV5111 PRV5115")]
    [InlineData("LGPL-2.1-only", "GPL-2.0-or-later", ModelUse.Commercial, "")]
    [InlineData("MPL-2.0", "Apache-2.0", ModelUse.Commercial, "PRV5111")]
    [InlineData("GPL-2.0-only", "GPL-3.0-only", ModelUse.Commercial, "PRV5111")]
    [InlineData("GPL-2.0+", "GPL-3.0-only", ModelUse.Commercial, "PRV5103")]
    [InlineData("GPL-2.0-or-later", "GPL-3.0-only", ModelUse.Commercial, "")]
    [InlineData("GPL-3.0-only", "AGPL-3.0-only", ModelUse.Commercial, "")]
    [InlineData("AGPL-3.0-only", "GPL-3.0-only", ModelUse.Commercial, "PRV5111")]
    [InlineData("CC-BY-NC-4.0", "LicenseRef-Proprietary", ModelUse.Research, "PRV5115")]
    [InlineData("CC-BY-NC-4.0", "LicenseRef-Proprietary", ModelUse.Commercial, "PRV5110 PRV5115")]
    [InlineData("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0", ModelUse.NonCommercial, "PRV5115")]
    [InlineData("CC-BY-ND-4.0", "CC-BY-4.0", ModelUse.Research, "PRV5112 PRV5115")]
    [InlineData("LicenseRef-Research-Only", "MIT", ModelUse.Evaluation, "")]
    [InlineData("LicenseRef-Research-Only", "MIT", ModelUse.Commercial, "PRV5110")]
    [InlineData("LicenseRef-Llama-3-Community", "LicenseRef-Llama-3-Community", ModelUse.Commercial, "PRV5115")]
    [InlineData("LicenseRef-OpenRAIL-M", "MIT", ModelUse.Commercial, "PRV5111 PRV5115")]
    [InlineData("LicenseRef-Unheard-Of", "MIT", ModelUse.Research, "PRV5113")]
    [InlineData("BSD-4-Clause", "MIT", ModelUse.Research, "PRV5113")]
    public void Check_RuleTableRow_FindsItsCodes(string input, string model, ModelUse use, string codes)
    {
        var result = Check(model, use, new LicenceInput("corpus@v1", input));

        Assert.Equal(codes, string.Join(" ", result.Findings.Select(f => f.Code)));
    }

    [Fact]
    public void Check_OrInput_ChoosesABranchThatPasses()
    {
        var result = Check("MIT", ModelUse.Commercial, new LicenceInput("code@v2", "GPL-3.0-only OR Apache-2.0"));

        Assert.True(result.IsCompatible);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Check_AndInput_AppliesEveryOperand()
    {
        var result = Check("MIT", ModelUse.Commercial, new LicenceInput("code@v2", "Apache-2.0 AND GPL-3.0-only"));

        var finding = Assert.Single(result.Findings);
        Assert.Equal("PRV5111", finding.Code);
    }

    [Fact]
    public void Check_NoBranchPasses_ReportsEveryBranch()
    {
        var result = Check("MIT", ModelUse.Commercial, new LicenceInput("code@v2", "GPL-3.0-only OR CC-BY-NC-ND-4.0"));

        Assert.False(result.IsCompatible);
        Assert.Equal(["PRV5111", "PRV5110", "PRV5112", "PRV5115"], result.Findings.Select(f => f.Code));
    }

    [Fact]
    public void Check_ModelOfferedUnderAChoice_MustHonourShareAlikeInEveryChoice()
    {
        var choice = Check("GPL-3.0-only OR MIT", ModelUse.Commercial, new LicenceInput("code@v2", "GPL-3.0-only"));
        var both = Check("GPL-3.0-only AND MIT", ModelUse.Commercial, new LicenceInput("code@v2", "GPL-3.0-only"));

        Assert.False(choice.IsCompatible);
        Assert.True(both.IsCompatible);
    }

    [Fact]
    public void Check_IncompatibleLicence_NamesTheInputTheLicenceAndTheCondition()
    {
        var result = Check("Apache-2.0", ModelUse.Commercial, new LicenceInput("census@2024-06", "CC-BY-NC-SA-4.0", Attribution: "Census office"));

        Assert.Equal(
            [
                "input `census@2024-06`: licence `CC-BY-NC-SA-4.0` is non-commercial: use `commercial` is not permitted",
                "input `census@2024-06`: licence `CC-BY-NC-SA-4.0` (non-commercial) requires the model to be licensed under one of `CC-BY-NC-SA-4.0`, not `Apache-2.0`",
            ],
            result.Findings.Select(f => f.Message));
    }

    [Fact]
    public void Check_NotAnAdaptationByAgreement_LeavesShareAlikeAndNoDerivativesOut()
    {
        var result = Check("MIT", ModelUse.Research, new LicenceInput("corpus@v1", "CC-BY-ND-4.0 AND GPL-3.0-only", Attribution: "Corpus authors") { IsAdaptation = false });

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Check_MissingAttribution_WarnsAndStillListsTheCredit()
    {
        var result = Check("CC-BY-4.0", ModelUse.Research, new LicenceInput("photos@v3", "CC-BY-4.0"));

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("PRV5115", false), (finding.Code, finding.IsError));
        Assert.Equal("input `photos@v3`: licence `CC-BY-4.0` requires attribution, and no attribution text is known", finding.Message);
        Assert.Equal(new LicenceAttribution("photos@v3", "licence `CC-BY-4.0`", null), Assert.Single(result.Attributions));
        Assert.True(result.IsCompatible);
    }

    [Fact]
    public void Check_AgreementWithAttributionClause_CreditsTheLicenceAndTheClause()
    {
        var agreement = SampleAgreement.Read("foundation-evaluation.yaml");

        var result = Check("CC-BY-SA-4.0", ModelUse.Research, new LicenceInput("encyclopedia@2026-01", null, agreement, new DatasetId("encyclopedia-corpus")));

        const string Text = "Evaluation data from the Open Knowledge Commons encyclopedia, CC BY-SA 4.0";
        Assert.Empty(result.Findings);
        Assert.Equal(
            [
                new LicenceAttribution("encyclopedia@2026-01", "licence `CC-BY-SA-4.0`", Text),
                new LicenceAttribution("encyclopedia@2026-01", "agreement `foundation-evaluation`: `publication.attribution`", Text),
            ],
            result.Attributions);
    }

    [Fact]
    public void Check_LicenceNotInAgreementsList_NamesTheClause()
    {
        var agreement = SampleAgreement.Read("redteam-engagement.yaml");

        var result = Check("MIT", ModelUse.Research, new LicenceInput("tools@v1", "GPL-3.0-only OR BSD-3-Clause", agreement) { IsAdaptation = false });

        var finding = Assert.Single(result.Findings);
        Assert.Equal("PRV5114", finding.Code);
        Assert.Equal("input `tools@v1`: agreement `redteam-engagement`: `intellectualProperty.thirdPartyLicences` allows `Apache-2.0`, `MIT`; licence `GPL-3.0-only OR BSD-3-Clause` is not among them", finding.Message);
    }

    [Fact]
    public void Check_NoLicenceAnywhere_FindsItMissing()
    {
        var result = Check("MIT", ModelUse.Research, new LicenceInput("scrape@v1", null));

        Assert.Equal("PRV5116", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public void Check_MalformedModelLicence_SaysItIsTheModels()
    {
        var result = Check("Apache2", ModelUse.Research, new LicenceInput("corpus@v1", "MIT"));

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("PRV5101", "did you mean `Apache-2.0`?"), (finding.Code, finding.Help));
        Assert.StartsWith("model licence: ", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_EveryRowKey_IsOnTheSpdxListOrALicenseRef()
    {
        var notListed = LicenceRules.All.Keys.Where(k => !k.StartsWith("LicenseRef-", StringComparison.Ordinal) && !SpdxLicenceList.Default.TryFindLicence(k, out _, out _));

        Assert.Empty(notListed);
    }

    [Fact]
    public void Rules_EveryAdaptationLicence_HasARowOrIsItsOwn()
    {
        var missing = LicenceRules.All.SelectMany(r => r.Value.AdaptationLicences).Where(l => !LicenceRules.All.ContainsKey(l)).Distinct();

        Assert.Empty(missing);
    }

    private static LicenceCheckResult Check(string model, ModelUse use, params LicenceInput[] inputs) =>
        LicenceCompatibility.Check(new LicenceCheckRequest(model, use, inputs));
}
