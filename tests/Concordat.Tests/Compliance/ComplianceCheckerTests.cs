using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Compliance;
using Concordat.Core;
using Concordat.Testing.Log;
using Concordat.Tests.Licences;

namespace Concordat.Tests.Compliance;

public sealed class ComplianceCheckerTests
{
    private static readonly DateTimeOffset s_at = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Agreement s_hospital = SampleAgreement.Read("hospital-research.yaml");
    private static readonly ComplianceLogFacts s_verified = new(true, 42, true, 0, null);

    [Fact]
    public void Check_Hospital_AppliesTheEuRegimesOnly()
    {
        var report = ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [], s_verified, s_at);

        Assert.Equal(["eu-ai-act", "gdpr"], report.Regimes.Select(r => r.Checklist.Regime));
        Assert.Equal(AgreementDigest.Compute(s_hospital), report.Digest);
    }

    [Fact]
    public void Check_RegisteredDpia_SatisfiesTheDpiaItemWithItsDigestAndDate()
    {
        var dpia = Artifact("dpia", s_at.AddDays(-10));

        var item = Item(ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [dpia], s_verified, s_at), "gdpr-dpia");

        Assert.Equal(ComplianceStatus.Satisfied, item.Status);
        Assert.Same(dpia, item.Artifact);
        Assert.False(item.IsDeclared);
    }

    [Fact]
    public void Check_NoRegisteredDpia_FallsBackToTheAgreementsDeclaredArtifact()
    {
        var item = Item(ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [], s_verified, s_at), "gdpr-dpia");

        Assert.Equal(ComplianceStatus.Satisfied, item.Status);
        Assert.True(item.IsDeclared);
        Assert.Equal(s_hospital.Artifacts.Single(a => a.Kind == "dpia").Digest, item.Artifact!.Digest);
    }

    [Fact]
    public void Check_OnlyAnExpiredArtifact_IsExpiredAndFailsTheCheck()
    {
        var old = Artifact("validation-report", s_at.AddDays(-400)) with { ExpiresAt = s_at.AddDays(-35) };

        var report = ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [old], s_verified, s_at);
        var item = Item(report, "eu-ai-act-accuracy-robustness");

        Assert.Equal(ComplianceStatus.Expired, item.Status);
        Assert.Same(old, item.Artifact);
        Assert.True(item.IsFailing);
        Assert.False(report.IsSatisfied);
    }

    [Fact]
    public void Check_ArtifactOfAnotherAgreement_DoesNotCount()
    {
        var other = Artifact("records-of-processing", s_at.AddDays(-1)) with { Agreement = new AgreementId("another") };

        var item = Item(ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [other], s_verified, s_at), "gdpr-records-of-processing");

        Assert.Equal(ComplianceStatus.Missing, item.Status);
    }

    [Fact]
    public void Check_EveryArtifactKindRegisteredAndLogCosigned_IsSatisfied()
    {
        var kinds = ComplianceChecklists.BuiltIn.SelectMany(c => c.Items).SelectMany(i => i.Artifacts).Distinct(StringComparer.Ordinal);
        var artifacts = kinds.Select(k => Artifact(k, s_at.AddDays(-1))).ToList();

        var report = ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, artifacts, s_verified with { Cosignatures = 1 }, s_at);

        Assert.True(report.IsSatisfied, string.Join("\n", report.Items.Where(i => i.Status != ComplianceStatus.Satisfied).Select(i => $"{i.Item.Id}: {i.Detail}")));
    }

    [Fact]
    public void Check_LogDoesNotVerify_FailsTheLogItems()
    {
        var broken = new ComplianceLogFacts(false, 0, false, 0, "root mismatch for tree size 8");

        var report = ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [], broken, s_at);
        var item = Item(report, "gdpr-accountability-log");

        Assert.Equal(ComplianceStatus.Failed, item.Status);
        Assert.Equal("root mismatch for tree size 8", item.Detail);
        Assert.True(report.HasFailedEvidence);
    }

    [Fact]
    public void Check_NoLog_LogItemsAreMissingNotFailed()
    {
        var report = ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [], ComplianceLogFacts.NoLog, s_at);

        Assert.Equal(ComplianceStatus.Missing, Item(report, "eu-ai-act-record-keeping").Status);
        Assert.False(report.HasFailedEvidence);
    }

    [Fact]
    public void Check_ConsentRequiredByTheRowGrant_IsEnforced()
    {
        var item = Item(ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [], s_verified, s_at), "gdpr-consent-enforced");

        Assert.Equal(ComplianceStatus.Satisfied, item.Status);
    }

    [Fact]
    public void Check_RowGrantWithoutConsentOverAConsentDataset_IsMissing()
    {
        var lax = s_hospital with { Grants = [.. s_hospital.Grants.Select(g => g with { RowRules = null })] };

        var item = Item(ComplianceChecker.Check(lax, ComplianceChecklists.BuiltIn, [], s_verified, s_at), "gdpr-consent-enforced");

        Assert.Equal(ComplianceStatus.Missing, item.Status);
        Assert.Contains("`research-rows`", item.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("`cohort-statistics`", item.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OptionalItemMissing_DoesNotFailTheCheck()
    {
        var item = Item(ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [], s_verified, s_at), "eu-ai-act-gpai-training-summary");

        Assert.Equal(ComplianceStatus.Missing, item.Status);
        Assert.False(item.IsFailing);
    }

    [Fact]
    public void ToJson_NamesTheArtifactDigestDateAndStatus()
    {
        var dpia = Artifact("dpia", s_at.AddDays(-10)) with { SignedBy = "hospital+01020304" };

        var json = ComplianceChecker.Check(s_hospital, ComplianceChecklists.BuiltIn, [dpia], s_verified, s_at).ToJson();
        var item = json["regimes"]!.AsArray().SelectMany(r => r!["items"]!.AsArray()).Single(i => i!["id"]!.GetValue<string>() == "gdpr-dpia")!;

        Assert.Equal(ComplianceReport.Format, json["format"]!.GetValue<string>());
        Assert.Equal("satisfied", item["status"]!.GetValue<string>());
        Assert.Equal(dpia.Digest.ToString(), item["artifact"]!["digest"]!.GetValue<string>());
        Assert.Equal("2026-05-22T00:00:00Z", item["artifact"]!["registeredAt"]!.GetValue<string>());
        Assert.Equal("hospital+01020304", item["artifact"]!["signedBy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("foundation-evaluation.yaml", 0)]
    [InlineData("hospital-research.yaml", 2)]
    [InlineData("redteam-engagement.yaml", 0)]
    public void Check_EachSample_AppliesItsRegimes(string sample, int regimes)
    {
        var report = ComplianceChecker.Check(SampleAgreement.Read(sample), ComplianceChecklists.BuiltIn, [], s_verified, s_at);

        Assert.Equal(regimes, report.Regimes.Count);
        Assert.Equal(regimes == 0, report.IsSatisfied);
    }

    [Fact]
    public void Statement_SignedAndVerified_ReadsBackTheSameArtifact()
    {
        var artifact = Artifact("dpia", s_at) with { ExpiresAt = s_at.AddYears(1) };
        var key = LogTestData.CreateKey("hospital", 3);

        var envelope = Attestation.Sign(artifact.ToStatement(), key);
        var verified = Attestation.Verify(envelope, [DsseVerifierKey.FromNoteKey(key.VerifierKey)], AttestationPredicateTypes.ComplianceArtifact);

        Assert.True(ComplianceArtifact.TryFromStatement(verified.Statement!, out var read, out var error), error?.Message);
        Assert.Equal(artifact, read);
    }

    [Fact]
    public void TryFromStatement_OtherPredicate_IsEvd8102()
    {
        var statement = new InTotoStatement([AttestationSubject.FromSha256("x", Sha256Digest.Compute([1]))], AttestationPredicateTypes.Artifact, []);

        Assert.False(ComplianceArtifact.TryFromStatement(statement, out _, out var error));
        Assert.Equal("EVD8102", error.Code);
    }

    private static ComplianceArtifact Artifact(string kind, DateTimeOffset at) =>
        new(kind, s_hospital.Id, $"{kind}.pdf", Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes(kind)), at, null, "st-marys-hospital");

    private static ComplianceItemResult Item(ComplianceReport report, string id) => report.Items.Single(i => i.Item.Id == id);
}
