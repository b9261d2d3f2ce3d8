using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Licences;
using Concordat.Tests.Licences;

namespace Concordat.Tests.Attestations;

/// <summary>
/// A registered model's IP: its owners follow each agreement's <c>intellectualProperty</c> terms (joint, a named
/// party, background with its party, third-party outside them) and the model's attestation records them.
/// </summary>
public sealed class ModelIpTests
{
    [Fact]
    public void ClassifyIp_ForegroundUnderJointTerms_EveryPartyOwnsItAndTheStatementSaysSo()
    {
        var hospital = SampleAgreement.Read("hospital-research.yaml");
        var registration = Registration("northwind-research", "Apache-2.0", hospital);

        var ip = ModelRegistrar.ClassifyIp(registration, IpCategory.Foreground, null);
        var statement = ModelRegistrar.CreateStatement(registration, null, ip);

        var parties = hospital.Parties.Select(p => p.Id.Value).Order(StringComparer.Ordinal).ToList();
        Assert.Empty(ip.Findings);
        Assert.Equal(parties, ip.Owners);
        Assert.Equal("foreground", statement.Predicate["ip"]!["category"]!.GetValue<string>());
        Assert.Equal(parties, statement.Predicate["ip"]!["owners"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal("hospital-research", statement.Predicate["ip"]!["terms"]![0]!["agreement"]!.GetValue<string>());
    }

    [Fact]
    public void ClassifyIp_ForegroundUnderANamedOwner_OnlyThatPartyOwnsIt()
    {
        var registration = Registration("sentinel-security", "MIT", SampleAgreement.Read("redteam-engagement.yaml"));

        var ip = ModelRegistrar.ClassifyIp(registration, IpCategory.Foreground, null);

        Assert.Equal(["atlas-models"], ip.Owners);
    }

    [Fact]
    public void ClassifyIp_Background_StaysWithTheTrainer()
    {
        var registration = Registration("sentinel-security", "MIT", SampleAgreement.Read("redteam-engagement.yaml"));

        var ip = ModelRegistrar.ClassifyIp(registration, IpCategory.Background, null);

        Assert.Equal(["sentinel-security"], ip.Owners);
        Assert.Empty(ip.Findings);
    }

    [Fact]
    public void ClassifyIp_ThirdPartyUnderALicenceTheAgreementDoesNotAllow_RefusedWithPrv5114()
    {
        var registration = Registration("sentinel-security", "GPL-3.0-only", SampleAgreement.Read("redteam-engagement.yaml"));

        var ip = ModelRegistrar.ClassifyIp(registration, IpCategory.ThirdParty, "Example Labs");
        var statement = ModelRegistrar.CreateStatement(registration, null, ip);

        Assert.Equal("PRV5114", Assert.Single(ip.Findings).Code);
        Assert.Empty(ip.Owners);
        Assert.Equal("Example Labs", statement.Predicate["ip"]!["externalOwner"]!.GetValue<string>());
    }

    [Fact]
    public void ClassifyIp_AgreementWithoutIpTerms_OwnerUndeterminedIsAnError()
    {
        var registration = Registration("meridian-ai", "Apache-2.0", SampleAgreement.Read("foundation-evaluation.yaml"));

        var ip = ModelRegistrar.ClassifyIp(registration, IpCategory.Foreground, null);

        var finding = Assert.Single(ip.Findings);
        Assert.Equal("PRV5120", finding.Code);
        Assert.True(finding.IsError);
        Assert.Contains("artifact `base`: agreement `foundation-evaluation`", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyIp_NoAgreement_TheTrainerOwnsIt()
    {
        var ip = ModelRegistrar.ClassifyIp(Registration("meridian-ai", null), IpCategory.Foreground, null);

        Assert.Equal(["meridian-ai"], ip.Owners);
        Assert.Empty(ip.Terms);
    }

    private static ModelRegistration Registration(string trainer, string? licence, params Agreement[] agreements) => new(
        "base",
        [AttestationSubject.FromSha256("model.safetensors", Sha256Digest.Compute("weights"u8))],
        Sha256Digest.Compute("config"u8),
        [],
        trainer,
        new PurposeId("training"),
        [.. agreements.Select(a => (a, AgreementDigest.Compute(a)))],
        licence,
        new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
}
