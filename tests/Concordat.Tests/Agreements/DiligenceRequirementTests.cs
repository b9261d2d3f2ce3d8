using Concordat.Agreements;

namespace Concordat.Tests.Agreements;

/// <summary>The agreement language's <c>diligence</c> requirements: read, held to one per party, and part of the digest.</summary>
public sealed class DiligenceRequirementTests
{
    internal const string AssessorKey = "st-aurelia+5f773d44+Ae59eA3u+takCAZEp47uUchd4PRf9V+dnyYaWTdX/n9u";

    [Fact]
    public void Read_Requirement_BindsPartyAgeScoreAndAssessorKeys()
    {
        var result = Read($"  - {{ party: lab, maxAgeDays: 365, minScore: 80, assessorKeys: [{AssessorKey}] }}");

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
        var requirement = Assert.Single(result.Agreement!.Diligence);
        Assert.Equal((new PartyId("lab"), 365, 80), (requirement.Party, requirement.MaxAgeDays, requirement.MinScore));
        Assert.Equal([AssessorKey], requirement.AssessorKeys);
    }

    [Fact]
    public void Read_SamePartyTwice_ReportsAGR3554AtTheSecond()
    {
        var result = Read($$"""
              - { party: lab, maxAgeDays: 365, minScore: 80, assessorKeys: [{{AssessorKey}}] }
              - { party: lab, maxAgeDays: 90, minScore: 80, assessorKeys: [{{AssessorKey}}] }
            """);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal("AGR3554", diagnostic.Code);
        var secondLine = (AgreementReaderTests.Minimal + "\ndiligence:\n").Split('\n').Length + 1;
        Assert.Equal((secondLine, 14), (diagnostic.Span!.Line, diagnostic.Span.Column));
    }

    [Theory]
    [InlineData("{ party: lab, maxAgeDays: 365, minScore: 80, assessorKeys: [] }", "AGR3555")]
    [InlineData("{ party: nobody, maxAgeDays: 365, minScore: 80, assessorKeys: [KEY] }", "AGR2006")]
    [InlineData("{ party: lab, maxAgeDays: 0, minScore: 80, assessorKeys: [KEY] }", "AGR2004")]
    [InlineData("{ party: lab, maxAgeDays: 30, minScore: 101, assessorKeys: [KEY] }", "AGR2004")]
    [InlineData("{ party: lab, maxAgeDays: 30, minScore: 80, assessorKeys: [st-aurelia] }", "AGR2018")]
    [InlineData("{ party: lab, maxAgeDays: 30, assessorKeys: [KEY] }", "AGR2003")]
    [InlineData("{ party: lab, maxAgeDays: 30, minScore: 80, assessorKeys: [KEY], score: 90 }", "AGR2001")]
    public void Read_BadRequirement_OneErrorWithItsCode(string requirement, string code)
    {
        var result = Read("  - " + requirement.Replace("KEY", AssessorKey, StringComparison.Ordinal));

        Assert.Equal(code, Assert.Single(result.Diagnostics, d => d.IsError).Code);
        Assert.Null(result.Agreement);
    }

    [Fact]
    public void Digest_RequirementAddedOrChanged_DigestChanges()
    {
        var without = AgreementReader.Read(AgreementReaderTests.Minimal, "demo.yaml").Agreement!;
        var with = Read($"  - {{ party: lab, maxAgeDays: 365, minScore: 80, assessorKeys: [{AssessorKey}] }}").Agreement!;
        var stricter = Read($"  - {{ party: lab, maxAgeDays: 365, minScore: 85, assessorKeys: [{AssessorKey}] }}").Agreement!;

        Assert.Equal(3, new[] { without, with, stricter }.Select(AgreementDigest.Compute).Distinct().Count());
    }

    [Fact]
    public void Explain_Requirement_NamesPartyAgeScoreAndAssessor()
    {
        var agreement = Read($"  - {{ party: lab, maxAgeDays: 365, minScore: 80, assessorKeys: [{AssessorKey}] }}").Agreement!;

        var text = AgreementExplainer.Explain(agreement);

        Assert.Contains("due-diligence record at most 365 days old, scoring at least 80% overall", text, StringComparison.Ordinal);
        Assert.Contains("st-aurelia", text, StringComparison.Ordinal);
    }

    internal static AgreementReadResult Read(string requirements) =>
        AgreementReader.Read(AgreementReaderTests.Minimal + "\ndiligence:\n" + requirements + "\n", "demo.yaml");
}
