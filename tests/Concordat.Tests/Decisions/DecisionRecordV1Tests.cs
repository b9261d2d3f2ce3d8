using System.Text;
using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Testing.Agreements;
using Concordat.Testing.Decisions;

namespace Concordat.Tests.Decisions;

public sealed class DecisionRecordV1Tests
{
    private static readonly DecisionRequest s_request = new(
        new PartyId("research-institute"),
        DataAction.ReadRows,
        new DatasetId("patient-records"),
        new PurposeId("clinical-research"),
        new Jurisdiction("NL"),
        null,
        new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero));

    private static PolicyIndex CreateSut()
    {
        var agreement = CorpusAgreements.HospitalResearch();
        return PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement))]);
    }

    [Fact]
    public void Replay_SameIndex_GivesSameAnswer()
    {
        var index = CreateSut();
        var record = DecisionRecordV1.Create(s_request, index.Decide(s_request));

        var same = record.Replay(index, out var replayed);

        Assert.True(same);
        Assert.Equal(record.Digest, replayed.Digest);
    }

    [Fact]
    public void Replay_AfterRoundTripThroughCanonicalJson_GivesSameAnswer()
    {
        var index = CreateSut();
        var record = DecisionRecordV1.Create(s_request, index.Decide(s_request));

        var parsed = DecisionRecordV1.TryParse(record.ToCanonicalJson(), out var read, out var error);

        Assert.True(parsed, error?.Message);
        Assert.True(read!.Replay(index, out _));
        Assert.Equal(record.ToCanonicalJson(), read.ToCanonicalJson());
    }

    [Fact]
    public void TryParse_AggregatePermitWithALifetimeCap_KeepsTheCapInTheObligations()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "hospital-research.yaml");
        var agreement = AgreementReader.Read(File.ReadAllText(path), path).Agreement!;
        var index = PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement))]);
        var request = new DecisionRequest(new PartyId("northwind-research"), DataAction.AggregateQuery, new DatasetId("cardiology-records"), new PurposeId("evaluation"), new Jurisdiction("DE"), null, s_request.Time);
        var record = DecisionRecordV1.Create(request, index.Decide(request));

        Assert.True(DecisionRecordV1.TryParse(record.ToCanonicalJson(), out var read, out var error), error?.Message);

        Assert.Equal(12.0, record.Obligations.PrivacyBudget!.LifetimeEpsilon);
        Assert.Equal(record.Obligations.PrivacyBudget, read!.Obligations.PrivacyBudget);
        Assert.True(read.Replay(index, out _));
    }

    [Fact]
    public void Replay_AgreementChanged_GivesDifferentAnswer()
    {
        var record = DecisionRecordV1.Create(s_request, CreateSut().Decide(s_request));
        var changed = CorpusAgreements.HospitalResearch() with { Grants = [] };
        var index = PolicyIndex.Compile([new PolicyAgreement(changed, AgreementBuilder.TestDigest(changed))]);

        var same = record.Replay(index, out var replayed);

        Assert.False(same);
        Assert.Equal(Effect.Deny, replayed.Effect);
    }

    [Fact]
    public void ToCanonicalJson_Permit_WritesIdsOnlyWithSortedMembers()
    {
        var record = DecisionRecordV1.Create(s_request, CreateSut().Decide(s_request));

        var json = Encoding.UTF8.GetString(record.ToCanonicalJson());

        Assert.StartsWith("{\"agreements\":[{\"digest\":\"sha256:", json, StringComparison.Ordinal);
        Assert.Contains("\"request\":{\"action\":\"read-rows\",\"dataset\":\"patient-records\",\"jurisdiction\":\"NL\",\"purpose\":\"clinical-research\",\"recipient\":\"research-institute\",\"time\":\"2026-03-01T09:30:00Z\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"effect\":\"permit\"", json, StringComparison.Ordinal);
        Assert.Matches("\"id\":\"[0-9a-f]{32}\"", json);
    }

    [Fact]
    public void Replay_RoleNotPermittedAfterRoundTrip_GivesSameAnswerAndKeepsTheRole()
    {
        var index = CreateSut();
        var request = s_request with { Role = IdentityRole.Deployment };
        var record = DecisionRecordV1.Create(request, index.Decide(request));

        Assert.True(DecisionRecordV1.TryParse(record.ToCanonicalJson(), out var read, out var error), error?.Message);

        Assert.Equal(IdentityRole.Deployment, read.Request.Role);
        Assert.Equal([ReasonCode.RoleNotPermitted], read.Reasons.Select(r => r.Code));
        Assert.Equal(record.Digest, read.Digest);
        Assert.True(read.Replay(index, out _));
    }

    [Fact]
    public void ToCanonicalJson_NoRole_LeavesRoleOut()
    {
        var record = DecisionRecordV1.Create(s_request, CreateSut().Decide(s_request));

        var json = Encoding.UTF8.GetString(record.ToCanonicalJson());

        Assert.DoesNotContain("\"role\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_ActionNotAvailable_IsTheHostsRefusalAgainNotTheIndexsAnswer()
    {
        var index = CreateSut();
        var request = s_request with { Action = DataAction.AggregateQuery };
        var record = DecisionRecordV1.Create(request, Decision.ActionNotAvailable);

        var same = record.Replay(index, out var replayed);

        Assert.True(same);
        Assert.Equal(record.Digest, replayed.Digest);
        Assert.Empty(record.Agreements);
    }

    [Fact]
    public void Create_SameRequestAtSameInstant_GivesSameDigest()
    {
        var index = CreateSut();

        var first = DecisionRecordV1.Create(s_request, index.Decide(s_request));
        var second = DecisionRecordV1.Create(s_request, index.Decide(s_request));

        Assert.Equal(first.Digest, second.Digest);
    }

    [Fact]
    public void Create_DifferentTimes_GivesDifferentDigests()
    {
        var index = CreateSut();
        var later = s_request with { Time = s_request.Time.AddSeconds(1) };

        var first = DecisionRecordV1.Create(s_request, index.Decide(s_request));
        var second = DecisionRecordV1.Create(later, index.Decide(later));

        Assert.NotEqual(first.Digest, second.Digest);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("{\"version\":2}")]
    [InlineData("not json")]
    public void TryParse_Malformed_ReturnsDiagnostic(string text)
    {
        var parsed = DecisionRecordV1.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error);

        Assert.False(parsed);
        Assert.Equal("POL3004", error!.Code);
    }
}
