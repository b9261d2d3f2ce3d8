using Concordat.Agreements;
using Concordat.Agreements.Signatures;

namespace Concordat.Tests.Agreements;

public sealed class SampleAgreementsTests
{
    private static readonly string s_samples = Path.Combine(AppContext.BaseDirectory, "samples");

    public static TheoryData<string> Samples() => [.. Directory.GetFiles(Path.Combine(s_samples, "agreements"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Read_Sample_HasNoDiagnostics(string fileName)
    {
        var result = AgreementReader.Read(File.ReadAllText(Path.Combine(s_samples, "agreements", fileName)), fileName);

        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.Agreement);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Evaluate_Sample_IsInForceAtTheDemoInstantWithPinnedKeys(string fileName)
    {
        var path = Path.Combine(s_samples, "agreements", fileName);
        var agreement = AgreementReader.Read(File.ReadAllText(path), fileName).Agreement!;
        var signatures = SignatureFile.Read(File.ReadAllText(SignatureFile.PathFor(path)), fileName, out var signatureProblems);
        var trusted = TrustedKeys.Read(File.ReadAllText(Path.Combine(s_samples, "trusted-keys.txt")), "trusted-keys.txt", out var keyProblems);

        var status = AgreementStatusEvaluator.Evaluate(new SignedAgreement(agreement, signatures), [], trusted, new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero));

        Assert.Empty(signatureProblems);
        Assert.Empty(keyProblems);
        Assert.True(status.State == AgreementState.InForce, string.Join("\n", status.Diagnostics));
        Assert.Empty(status.Diagnostics);
    }

    [Fact]
    public void Samples_CoverTheThreeDescribedPartnerships()
    {
        var agreements = Directory.GetFiles(Path.Combine(s_samples, "agreements"), "*.yaml").Select(f => AgreementReader.Read(File.ReadAllText(f), f).Agreement!).ToList();

        Assert.Contains(agreements, a => a.Partnership == PartnershipModel.OpenSourceCommunity && a.Publication?.Attribution is not null && a.Grants.All(g => g.Purposes.All(p => p.Value == "evaluation")));
        Assert.Contains(agreements, a => a.BreachNotificationHours == 72 && a.Approvers.Count > 0 && a.Artifacts.Any(x => x.Kind == "dpia") && a.Grants.Any(g => g.RowRules is { RequireConsent: true } && g.FieldRules.Any(r => r.Kind == FieldRuleKind.Pseudonymise)));
        Assert.Contains(agreements, a => a.IntellectualProperty is { Foreground: not null, Background.Count: > 0 } && a.Incidents?.VulnerabilityResponseHours is not null);
    }
}
