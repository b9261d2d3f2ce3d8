using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Tests;

/// <summary>Every embedded sample: a permitted request, a printed denied one that really is denied, realistic rows.</summary>
public sealed class QuickstartPlanTests
{
    public static TheoryData<string> Samples() => [.. QuickstartSamples.Names];

    [Fact]
    public void Names_EverySampleOfTheRepository_IsEmbedded()
    {
        var files = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "samples", "agreements"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(files, QuickstartSamples.Names);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Create_Sample_PermitsTheShownRequestAndDeniesTheDeniedOne(string name)
    {
        var agreement = AgreementReader.Read(QuickstartSamples.ReadAgreement(name)!, name + ".yaml").Agreement!;
        var now = TimeProvider.System.GetUtcNow();
        var index = PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementDigest.Compute(agreement))]);

        var plan = QuickstartPlan.Create(agreement, now);

        Assert.NotNull(plan);
        Assert.True(QuickstartPlan.Decide(index, plan.Grant, plan.Dataset.Id, plan.Purpose, plan.Jurisdiction, now).IsPermit);
        Assert.False(QuickstartPlan.Decide(index, plan.Grant, plan.Dataset.Id, plan.DeniedPurpose, plan.DeniedJurisdiction, now).IsPermit);
        Assert.NotEqual("denied", plan.DeniedBecause);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void SampleRows_Sample_HasNoPlaceholderText(string name)
    {
        var agreement = AgreementReader.Read(QuickstartSamples.ReadAgreement(name)!, name + ".yaml").Agreement!;
        var plan = QuickstartPlan.Create(agreement, TimeProvider.System.GetUtcNow())!;

        var csv = SampleRows.Csv(plan.Dataset, 50, "research", "DE");

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain("value-", csv, StringComparison.Ordinal);
        Assert.Equal(51, lines.Length);
        Assert.All(lines, line => Assert.Equal(plan.Dataset.Fields.Count - 1, line.Count(c => c is ',' or '"')));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void ReadSignerKey_EveryRequiredSigner_IsAKeyTheAgreementNames(string name)
    {
        var agreement = AgreementReader.Read(QuickstartSamples.ReadAgreement(name)!, name + ".yaml").Agreement!;

        foreach (var (signer, _, keys) in Concordat.Agreements.Signatures.AgreementSigner.RequiredSigners(agreement))
        {
            Assert.True(Concordat.Crypto.NoteKey.TryParseSignerKey(QuickstartSamples.ReadSignerKey(signer.Value)!.Trim(), out var key, out _));
            Assert.Contains(key!.VerifierKey.ToString(), keys);
        }
    }
}
