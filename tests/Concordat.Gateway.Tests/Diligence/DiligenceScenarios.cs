using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Diligence;
using Concordat.Gateway.Diligence;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Testing.Log;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Diligence;

/// <summary>
/// Due diligence over real HTTP: the operator uploads assessors' signed records, checked against the keys it pinned;
/// an agreement version whose <c>diligence</c> requirements they do not meet is refused (GW6911) and not stored, naming
/// each record missing, too old or too low; once a fresh record is held the same version is activated.
/// </summary>
public abstract class DiligenceScenarios : GatewayScenarios
{
    private const string Assessor = "st-aurelia-security";

    private static readonly NoteSignerKey s_assessor = LogTestData.CreateKey(Assessor, 31);

    [Fact]
    public async Task Upload_RecordSignedByPinnedKey_StoredListedAndLogged()
    {
        await using var gateway = await StartWithAssessorAsync();

        using var response = await PostAsync(gateway, Record(HospitalRecipient, 85.7, gateway.Clock.GetUtcNow().AddDays(-10)));
        var list = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/diligence"))!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var held = Assert.Single(list)!;
        Assert.Equal((HospitalRecipient, "85.7", true), (held["party"]!.GetValue<string>(), held["overall"]!.GetValue<string>(), held["passed"]!.GetValue<bool>()));
        var entry = (await gateway.LogEntriesAsync()).Single(e => e["type"]!.GetValue<string>() == "gateway.diligence-recorded/v1");
        Assert.Equal(HospitalRecipient, entry["body"]!["party"]!.GetValue<string>());
        Assert.Equal(held["envelope"]!.GetValue<string>(), entry["body"]!["envelope"]!.GetValue<string>());
        Assert.Equal(Attestation.KeyIdOf(s_assessor.VerifierKey), entry["body"]!["keyId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upload_UnpinnedKeyOrFutureAssessment_Gw6910AndNothingLogged()
    {
        await using var gateway = await StartWithAssessorAsync();
        var stranger = LogTestData.CreateKey(Assessor, 32);

        using var unpinned = await PostAsync(gateway, Record(HospitalRecipient, 90, gateway.Clock.GetUtcNow(), stranger));
        using var future = await PostAsync(gateway, Record(HospitalRecipient, 90, gateway.Clock.GetUtcNow().AddDays(1)));
        using var anonymous = await gateway.Anonymous.PostAsync("/v1/diligence", Content(Record(HospitalRecipient, 90, gateway.Clock.GetUtcNow())));

        Assert.Contains("PRV5003", (await AssertProblemAsync(unpinned, HttpStatusCode.UnprocessableEntity, "GW6910"))["diagnostics"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("future", (await AssertProblemAsync(future, HttpStatusCode.UnprocessableEntity, "GW6910"))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.diligence-recorded/v1");
    }

    [Fact]
    public async Task UploadAgreement_RecordMissingThenTooOldOrTooLow_Gw6911NamingItThenActivatedWithAFreshOne()
    {
        await using var gateway = await StartWithAssessorAsync();
        var yaml = Requiring(HospitalRecipient, maxAgeDays: 365, minScore: 80);
        var signatures = gateway.Sign(yaml);
        var now = gateway.Clock.GetUtcNow();

        using var missing = await gateway.UploadAsync(yaml, signatures);
        await PostAsync(gateway, Record(HospitalRecipient, 85, now.AddDays(-400)));
        await PostAsync(gateway, Record(HospitalRecipient, 79.9, now.AddDays(-5)));
        using var stale = await gateway.UploadAsync(yaml, signatures);
        var listedWhileRefused = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/agreements"))!;
        await PostAsync(gateway, Record(HospitalRecipient, 85, now.AddDays(-5)));
        using var activated = await gateway.UploadAsync(yaml, signatures);

        var missingProblem = await AssertProblemAsync(missing, HttpStatusCode.UnprocessableEntity, "GW6911");
        var missingItem = Assert.Single(missingProblem["diligence"]!.AsArray())!;
        Assert.Equal((HospitalRecipient, "[\"no-record\"]"), (missingItem["party"]!.GetValue<string>(), missingItem["missing"]!.ToJsonString()));
        Assert.Equal($"error GW6911: party `{HospitalRecipient}`: no due-diligence record is held", Assert.Single(missingProblem["diagnostics"]!.AsArray())!.GetValue<string>());
        var staleProblem = await AssertProblemAsync(stale, HttpStatusCode.UnprocessableEntity, "GW6911");
        var staleItem = Assert.Single(staleProblem["diligence"]!.AsArray())!;
        Assert.Equal("[\"score-too-low\"]", staleItem["missing"]!.ToJsonString());
        Assert.Contains("overall 79.9 is below 80", staleItem["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("overall 79.9 is below 80", staleProblem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(listedWhileRefused);
        Assert.Equal(HttpStatusCode.Created, activated.StatusCode);
    }

    [Fact]
    public async Task UploadAgreement_RecordSignedByAPinnedKeyTheAgreementDoesNotName_Gw6911()
    {
        await using var gateway = await StartWithAssessorAsync();
        var other = LogTestData.CreateKey("other-assessor", 33);
        Pin(gateway, other);
        await PostAsync(gateway, Record(HospitalRecipient, 95, gateway.Clock.GetUtcNow(), other));
        var yaml = Requiring(HospitalRecipient, maxAgeDays: 365, minScore: 80);

        using var response = await gateway.UploadAsync(yaml, gateway.Sign(yaml));

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "GW6911");
        Assert.Contains("no record is signed by an assessor key the agreement names", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("[\"assessor-not-named\"]", Assert.Single(problem["diligence"]!.AsArray())!["missing"]!.ToJsonString());
    }

    [Fact]
    public async Task Check_RecordReliedOnOutgrowsMaxAge_OneDiligenceExpiredAlertAfterAndNoneBefore()
    {
        await using var gateway = await StartWithAssessorAsync();
        var assessedAt = gateway.Clock.GetUtcNow().AddDays(-5);
        await PostAsync(gateway, Record(HospitalRecipient, 85, assessedAt));
        var yaml = Requiring(HospitalRecipient, maxAgeDays: 30, minScore: 80);
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var envelope = Assert.Single((await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/diligence"))!)!["envelope"]!.GetValue<string>();
        var watch = Watch(gateway);

        gateway.Clock.Advance(assessedAt.AddDays(30) - gateway.Clock.GetUtcNow() - TimeSpan.FromMinutes(1));
        await watch.CheckAsync(CancellationToken.None);
        var before = await ExpiredAlertsAsync(gateway);
        gateway.Clock.Advance(TimeSpan.FromMinutes(2));
        await watch.CheckAsync(CancellationToken.None);
        gateway.Clock.Advance(TimeSpan.FromHours(3));
        await watch.CheckAsync(CancellationToken.None);
        await PostAsync(gateway, Record(HospitalRecipient, 60, gateway.Clock.GetUtcNow()));
        var after = await ExpiredAlertsAsync(gateway);

        Assert.Empty(before);
        var alert = Assert.Single(after)["body"]!;
        Assert.Equal((HospitalRecipient, envelope), (alert["recipient"]!.GetValue<string>(), alert["subject"]!.GetValue<string>()));
        Assert.Equal(assessedAt.AddDays(30), DateTimeOffset.Parse(alert["firstAnomalousAt"]!.GetValue<string>(), CultureInfo.InvariantCulture));
        Assert.Equal(30, alert["threshold"]!.GetValue<double>());
        Assert.Contains(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.incident-opened/v1" && e["body"]!["recipients"]!.AsArray().Any(r => r!.GetValue<string>() == HospitalRecipient));
    }

    [Fact]
    public async Task Check_SubprocessorRecordExpires_IncidentNamesTheAgreementListingTheSubprocessor()
    {
        const string Subprocessor = "cloudlab-compute";
        await using var gateway = await StartWithAssessorAsync();
        await PostAsync(gateway, Record(Subprocessor, 85, gateway.Clock.GetUtcNow()));
        var yaml = Requiring(Subprocessor, maxAgeDays: 10, minScore: 80)
            .Replace("\napprovers:", "\n  - id: cloudlab-compute\n    legalName: CloudLab Compute GmbH\n    jurisdiction: DE\n    roles: [subprocessor]\n\napprovers:", StringComparison.Ordinal)
            .Replace("    jurisdictions: [DE]\n    rateLimit: { requests: 600, period: PT1M }", "    jurisdictions: [DE]\n    subprocessors: [cloudlab-compute]\n    rateLimit: { requests: 600, period: PT1M }", StringComparison.Ordinal);
        Assert.Contains("subprocessors: [cloudlab-compute]", yaml, StringComparison.Ordinal);
        using var upload = await gateway.UploadAsync(yaml, gateway.Sign(yaml));
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());
        var agreement = Concordat.Agreements.AgreementReader.Read(yaml, "x.yaml").Agreement!.Id.Value;

        gateway.Clock.Advance(TimeSpan.FromDays(11));
        var raised = await Watch(gateway).CheckAsync(CancellationToken.None);

        Assert.Equal(1, raised);
        var opened = (await gateway.LogEntriesAsync()).Single(e => e["type"]!.GetValue<string>() == "gateway.incident-opened/v1")["body"]!;
        Assert.Equal([Subprocessor], opened["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal([agreement], opened["agreements"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task Check_AfterRestart_RemembersTheAlertFromTheLog()
    {
        var workspace = Directory.CreateTempSubdirectory("concordat-gw-").FullName;
        var store = await StoreAsync();
        try
        {
            await using (var first = await TestGateway.StartAsync(store, workspace: workspace))
            {
                Pin(first, s_assessor);
                await PostAsync(first, Record(HospitalRecipient, 85, first.Clock.GetUtcNow()));
                var yaml = Requiring(HospitalRecipient, maxAgeDays: 10, minScore: 80);
                Assert.Equal(HttpStatusCode.Created, (await first.UploadAsync(yaml, first.Sign(yaml))).StatusCode);
                first.Clock.Advance(TimeSpan.FromDays(11));
                Assert.Equal(1, await Watch(first).CheckAsync(CancellationToken.None));
            }

            await using var second = await TestGateway.StartAsync(store, workspace: workspace);
            second.Clock.Advance(TimeSpan.FromDays(12));

            var raised = await Watch(second).CheckAsync(CancellationToken.None);

            Assert.Equal(0, raised);
            Assert.Single(await ExpiredAlertsAsync(second));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public async Task Check_FresherRecordUploadedInTime_NoAlertWhenTheOlderOneExpires()
    {
        await using var gateway = await StartWithAssessorAsync();
        var assessedAt = gateway.Clock.GetUtcNow().AddDays(-5);
        await PostAsync(gateway, Record(HospitalRecipient, 85, assessedAt));
        var yaml = Requiring(HospitalRecipient, maxAgeDays: 30, minScore: 80);
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);

        gateway.Clock.Advance(TimeSpan.FromDays(20));
        await PostAsync(gateway, Record(HospitalRecipient, 90, gateway.Clock.GetUtcNow()));
        gateway.Clock.Advance(TimeSpan.FromDays(10));
        var raised = await Watch(gateway).CheckAsync(CancellationToken.None);

        Assert.Equal(0, raised);
        Assert.Empty(await ExpiredAlertsAsync(gateway));
    }

    [Fact]
    public async Task Timer_HourlyTicksPastExpiry_AlertOnTheFirstTickPastItAndOnceOnly()
    {
        await using var gateway = await StartWithAssessorAsync();
        await PostAsync(gateway, Record(HospitalRecipient, 85, gateway.Clock.GetUtcNow()));
        var yaml = Requiring(HospitalRecipient, maxAgeDays: 1, minScore: 80);
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);

        // The test gateway's own clock runs no timers: a second watch on the maintained fake clock drives the timer.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(gateway.Clock.GetUtcNow());
        using var watch = ActivatorUtilities.CreateInstance<DiligenceWatch>(gateway.Services, (TimeProvider)clock);
        await watch.StartAsync(CancellationToken.None);
        var counts = new List<int>();
        for (var hour = 1; hour <= 30 && counts.LastOrDefault() == 0; hour++)
        {
            clock.Advance(DiligenceWatch.Period);
            counts.Add(await WaitForExpiredAlertsAsync(gateway, atLeast: hour > 24 ? 1 : 0));
        }

        var firstSeen = counts.Count;
        for (var hour = 0; hour < 5; hour++)
        {
            clock.Advance(DiligenceWatch.Period);
        }

        await watch.CheckAsync(CancellationToken.None);
        await watch.StopAsync(CancellationToken.None);

        // Expired after 24 hours, not at 24 hours; the timer may start one period late (it is created as the service runs).
        Assert.InRange(firstSeen, 25, 26);
        Assert.Single(await ExpiredAlertsAsync(gateway));
    }

    // Read as the operator, whom no rate limit holds: the timer's test reads the log many times a second.
    private static async Task<List<JsonObject>> ExpiredAlertsAsync(TestGateway gateway)
    {
        var page = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/log/entries?cursor=0&limit=1000"))!;
        return [.. page["entries"]!.AsArray().Select(e => e!.AsObject()).Where(e => e["type"]!.GetValue<string>() == "gateway.alert/v1" && e["body"]!["alert"]!.GetValue<string>() == "diligence-expired")];
    }

    // The timer's check runs in the background after the clock moves: wait (a bounded while) for what it should write.
    private static async Task<int> WaitForExpiredAlertsAsync(TestGateway gateway, int atLeast)
    {
        var count = (await ExpiredAlertsAsync(gateway)).Count;
        for (var attempt = 0; attempt < 200 && count < atLeast; attempt++)
        {
            await Task.Delay(25);
            count = (await ExpiredAlertsAsync(gateway)).Count;
        }

        return count;
    }

    private static DiligenceWatch Watch(TestGateway gateway) => gateway.Services.GetRequiredService<DiligenceWatch>();

    internal static string Requiring(string party, int maxAgeDays, int minScore) =>
        TwoRecipientHospital() + $"\ndiligence:\n  - {{ party: {party}, maxAgeDays: {maxAgeDays}, minScore: {minScore}, assessorKeys: [\"{NoteKey.FormatVerifierKey(Assessor, s_assessor.PrivateKey.PublicKey)}\"] }}\n";

    internal static byte[] Record(string party, double overall, DateTimeOffset assessedAt, NoteSignerKey? key = null)
    {
        var score = new DiligenceScore(party, "concordat-vendor-due-diligence", 1, overall, 75, [new DiligenceSectionScore("security-posture", overall, 70)]);
        var statement = new DiligenceRecord(score, Assessor, assessedAt).Statement(Sha256Digest.Compute("questionnaire"u8), Sha256Digest.Compute("answers"u8));
        return Attestation.Sign(statement, key ?? s_assessor).ToJson();
    }

    internal static Task<HttpResponseMessage> PostAsync(TestGateway gateway, byte[] envelope) => gateway.Operator.PostAsync("/v1/diligence", Content(envelope));

    internal static async Task<TestGateway> StartWithAssessorAsync(Func<Task<string?>> store)
    {
        var gateway = await TestGateway.StartAsync(await store());
        Pin(gateway, s_assessor);
        return gateway;
    }

    private Task<TestGateway> StartWithAssessorAsync() => StartWithAssessorAsync(StoreAsync);

    private static void Pin(TestGateway gateway, NoteSignerKey key) =>
        File.AppendAllText(Path.Combine(gateway.Workspace, GatewayWorkspace.TrustedKeysFileName), $"{key.Name} {NoteKey.FormatVerifierKey(key.Name, key.PrivateKey.PublicKey)}\n");

    private static ByteArrayContent Content(byte[] envelope) => new(envelope) { Headers = { ContentType = new("application/json") } };
}
