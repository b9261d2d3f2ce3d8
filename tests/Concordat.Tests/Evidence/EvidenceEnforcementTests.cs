using Concordat.Evidence;
using Concordat.Testing.Evidence;

namespace Concordat.Tests.Evidence;

/// <summary>
/// Proof of enforcement: a log written directly, with a valid checkpoint over it, whose decisions, tokens or egress
/// do not follow the signed agreement, gives a pack that verifies as a record and fails as enforcement.
/// </summary>
public sealed class EvidenceEnforcementTests
{
    private static readonly DateTimeOffset s_at = EvidencePackFixture.Start.AddHours(1);

    [Fact]
    public async Task Verify_DecisionsTheEngineMade_ReplaysEveryOne()
    {
        var verification = await VerifyLogAsync(EvidencePackFixture.Traffic());

        Assert.True(verification.IsValid, Problems(verification));
        Assert.Equal(3, verification.Counts["decisionsReplayed"]);
        Assert.Equal(3, verification.Counts["tokensChecked"]);
    }

    [Fact]
    public async Task Verify_ForgedPermit_FailsNamingTheDecision()
    {
        var forged = EvidencePackFixture.Decision(
            s_at, "dec_forged", EvidencePackFixture.DecisionRequestAt(s_at, "US"), EvidencePackFixture.DecisionRequestAt(s_at));

        var verification = await VerifyLogAsync([.. EvidencePackFixture.Traffic(), forged]);

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.DecisionNotReplayed.Code, problem.Code);
        Assert.Contains("`dec_forged`", problem.Message, StringComparison.Ordinal);
        Assert.Contains("deny", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TokenOutlivingItsDecision_Fails()
    {
        var verification = await VerifyLogAsync(
        [
            EvidencePackFixture.Decision(s_at, "dec_a", EvidencePackFixture.DecisionRequestAt(s_at), null),
            EvidencePackFixture.Token(s_at.AddSeconds(1), "dec_a", "tok_long", TimeSpan.FromHours(1)),
        ]);

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.TokenExceedsDecision.Code, problem.Code);
        Assert.Contains("`tok_long`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TokenOnADeny_Fails()
    {
        var verification = await VerifyLogAsync(
        [
            EvidencePackFixture.Decision(s_at, "dec_d", EvidencePackFixture.DecisionRequestAt(s_at, "US"), null),
            EvidencePackFixture.Token(s_at.AddSeconds(1), "dec_d", "tok_d", TimeSpan.FromMinutes(5)),
        ]);

        Assert.Equal(EvidenceErrorCodes.TokenExceedsDecision.Code, Assert.Single(verification.Problems).Code);
        Assert.Equal(1, verification.Counts["decisionsReplayed"]);
    }

    [Fact]
    public async Task Verify_EgressOfAnotherDataset_Fails()
    {
        var verification = await VerifyLogAsync(
        [
            EvidencePackFixture.Decision(s_at, "dec_e", EvidencePackFixture.DecisionRequestAt(s_at), null),
            EvidencePackFixture.Egress(s_at.AddSeconds(2), "dec_e", "cardiology-records"),
            EvidencePackFixture.Egress(s_at.AddSeconds(3), "dec_e", "oncology-records"),
        ]);

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.EgressDiffersFromDecision.Code, problem.Code);
        Assert.Contains("`oncology-records`", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, verification.Counts["egressChecked"]);
    }

    [Fact]
    public async Task Verify_EgressLoggedHoursAfterItsDecisionToAnotherDataset_StillFails()
    {
        var verification = await VerifyLogAsync(SlowStream("oncology-records"));

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.EgressDiffersFromDecision.Code, problem.Code);
        Assert.Contains("`dec_slow`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EgressLoggedHoursAfterItsDecision_IsCheckedAgainstIt()
    {
        var verification = await VerifyLogAsync(SlowStream("cardiology-records"));

        Assert.True(verification.IsValid, Problems(verification));
        Assert.Equal(1, verification.Counts["egressChecked"]);
        Assert.False(verification.Counts.ContainsKey("egressOfOtherDecisions"));
    }

    [Fact]
    public async Task Verify_EgressLoggingTheDecisionsObligations_ChecksThem()
    {
        var verification = await VerifyLogAsync(
        [
            EvidencePackFixture.Decision(s_at, "dec_o", EvidencePackFixture.DecisionRequestAt(s_at), null),
            EvidencePackFixture.Egress(s_at.AddSeconds(2), "dec_o", "cardiology-records"),
        ]);

        Assert.True(verification.IsValid, Problems(verification));
        Assert.Equal(1, verification.Counts["egressObligationsChecked"]);
    }

    [Fact]
    public async Task Verify_EgressWithAlteredObligations_FailsNamingTheDecisionAndBothSets()
    {
        var demanded = EvidencePackFixture.SampleEgressObligations(s_at);
        Assert.Contains("field `name`: drop", demanded);
        var carried = demanded.Where(o => o != "field `name`: drop").ToList();

        var verification = await VerifyLogAsync(
        [
            EvidencePackFixture.Decision(s_at, "dec_o", EvidencePackFixture.DecisionRequestAt(s_at), null),
            EvidencePackFixture.Egress(s_at.AddSeconds(2), "dec_o", "cardiology-records", carried),
        ]);

        var problem = Assert.Single(verification.Problems);
        Assert.Equal(EvidenceErrorCodes.EgressObligationsDiffer.Code, problem.Code);
        Assert.Contains("`dec_o`", problem.Message, StringComparison.Ordinal);
        Assert.Contains("demands [field `birth_date`", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, problem.Message.Split("field `name`: drop").Length - 1);
        Assert.False(verification.Counts.ContainsKey("egressChecked"));
    }

    [Fact]
    public async Task Verify_EgressWrittenBeforeEgressLoggedObligations_IsCountedNotLogged()
    {
        var egress = EvidencePackFixture.Egress(s_at.AddSeconds(2), "dec_o", "cardiology-records");
        var body = System.Text.Json.Nodes.JsonNode.Parse(egress.Body.GetRawText())!.AsObject();
        body.Remove("obligations");

        var verification = await VerifyLogAsync(
        [
            EvidencePackFixture.Decision(s_at, "dec_o", EvidencePackFixture.DecisionRequestAt(s_at), null),
            EvidencePackFixture.Entry("gateway.egress/v1", egress.Time, body),
        ]);

        Assert.True(verification.IsValid, Problems(verification));
        Assert.Equal(1, verification.Counts["egressObligationsNotLogged"]);
        Assert.Equal(1, verification.Counts["egressChecked"]);
    }

    // A stream that ends three hours after its decision (the gateway logs an egress when its stream ends, so no
    // token lifetime bounds the gap), with 120 other decisions and tokens, a minute apart, logged in between.
    private static List<Concordat.Log.LogEntry> SlowStream(string servedDataset)
    {
        var entries = new List<Concordat.Log.LogEntry> { EvidencePackFixture.Decision(s_at, "dec_slow", EvidencePackFixture.DecisionRequestAt(s_at), null) };
        for (var minute = 1; minute <= 120; minute++)
        {
            var at = s_at.AddMinutes(minute);
            entries.Add(EvidencePackFixture.Decision(at, $"dec_{minute}", EvidencePackFixture.DecisionRequestAt(at), null));
            entries.Add(EvidencePackFixture.Token(at, $"dec_{minute}", $"tok_{minute}", TimeSpan.FromMinutes(5)));
        }

        entries.Add(EvidencePackFixture.Egress(s_at.AddHours(3), "dec_slow", servedDataset));
        return entries;
    }

    private static async Task<EvidencePackVerification> VerifyLogAsync(IEnumerable<Concordat.Log.LogEntry> entries)
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(entries);
        return await EvidencePackFixture.VerifyAsync(await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request()));
    }

    private static string Problems(EvidencePackVerification verification) =>
        string.Join('\n', verification.Problems.Select(p => $"{p.Code} {p.Message}"));
}
