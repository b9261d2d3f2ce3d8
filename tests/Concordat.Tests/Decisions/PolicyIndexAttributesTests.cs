using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Testing.Agreements;
using Concordat.Tests.Agreements;

namespace Concordat.Tests.Decisions;

public sealed class PolicyIndexAttributesTests
{
    private static readonly DateTimeOffset s_time = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Decide_GrantToGroupOnCollectionWithMetCondition_PermitsAndNamesTheAttributes()
    {
        var index = CreateSut();

        var decision = index.Decide(Request("lab", "records", "DE"));

        Assert.True(decision.IsPermit, string.Join("; ", decision.Reasons));
        Assert.Equal([new AttributeValue("dataset.sensitivity", "confidential", AttributeSource.Agreement), new AttributeValue("recipient.certifiedUntil", "2027-06-01T00:00:00Z", AttributeSource.Agreement), new AttributeValue("recipient.clearance", "confidential", AttributeSource.Agreement)], decision.Attributes);
    }

    [Fact]
    public void Decide_ConditionReadsMissingAttribute_NeverPermits()
    {
        var index = CreateSut();

        var decision = index.Decide(Request("uni", "corpus", "DE"));

        Assert.False(decision.IsPermit);
        var reason = Assert.Single(decision.Reasons);
        Assert.Equal(ReasonCode.ConditionNotMet, reason.Code);
        Assert.Contains(new AttributeValue("recipient.certifiedUntil", null, AttributeSource.Agreement), decision.Attributes);
    }

    [Fact]
    public void Decide_ProhibitionWhenHolds_ForbidsAndNamesTheAttributes()
    {
        var index = CreateSut();

        var decision = index.Decide(Request("lab", "records", "GB"));

        Assert.Equal([new Reason(ReasonCode.ForbiddenByClause, new AgreementId("attrs"), new ClauseId("residency"))], decision.Reasons);
        Assert.Contains(new AttributeValue("dataset.residency", "[DE, FR]", AttributeSource.Agreement), decision.Attributes);
    }

    [Fact]
    public void Decide_UnlessHolds_Exempts()
    {
        var index = CreateSut();

        var decision = index.Decide(Request("lab", "records", "FR") with { Purpose = new PurposeId("training") });

        Assert.DoesNotContain(decision.Reasons, r => r.Clause == new ClauseId("gold-only"));
    }

    [Fact]
    public void Record_WithAttributes_RoundTripsAndReplays()
    {
        var index = CreateSut();
        var request = Request("lab", "records", "DE");
        var record = DecisionRecordV1.Create(request, index.Decide(request));

        Assert.True(DecisionRecordV1.TryParse(record.ToCanonicalJson(), out var parsed, out var error), error?.Message);
        Assert.Equal(record.ToCanonicalJson(), parsed.ToCanonicalJson());
        Assert.True(parsed.Replay(index, out _));
    }

    [Fact]
    public void Record_WithoutConditions_HasNoAttributesMember()
    {
        var agreement = new AgreementBuilder("plain").Party("provider", "DE", PartyRole.Provider).Party("lab").Dataset("corpus", "provider").Purpose("research").Grant("g1", "lab", ["corpus"], ["research"]).Build();
        var index = PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement))]);
        var request = Request("lab", "corpus", "DE");

        var json = System.Text.Encoding.UTF8.GetString(DecisionRecordV1.Create(request, index.Decide(request)).ToCanonicalJson());

        Assert.DoesNotContain("\"attributes\"", json, StringComparison.Ordinal);
    }

    private static PolicyIndex CreateSut()
    {
        var agreement = AgreementReader.Read(AgreementAttributesTests.WithAttributes, "attrs.yaml").Agreement!;
        return PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementDigest.Compute(agreement))]);
    }

    private static DecisionRequest Request(string recipient, string dataset, string jurisdiction) =>
        new(new PartyId(recipient), DataAction.ReadRows, new DatasetId(dataset), new PurposeId("research"), new Jurisdiction(jurisdiction), null, s_time);
}
