using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Crypto;
using Concordat.Gateway.Incidents;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Gateway.Tests.Recipients;
using Concordat.Gateway.Transparency;
using Concordat.Incidents.Kpi;
using Concordat.Log;
using Concordat.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Tests.Incidents;

/// <summary>
/// Detection in the gateway: its own entries reach the detectors as they are appended, alerts are log entries, and an
/// alert an agreement names in <c>incidents.autoSealAlerts</c> seals the recipient through the operator's seal act.
/// </summary>
public abstract class IncidentsScenarios : GatewayScenarios
{
    // No learning period and a low floor, so one read of the large version is a volume spike at once.
    private const string QuickDetection = """{"warmupHours": 0, "warmupActiveHours": 0, "minimumRows": 1000}""";

    [Fact]
    public async Task VolumeSpike_AutoSealAlert_IsLoggedSealsTheRecipientAndStopsItsRunningStream()
    {
        var workspace = Workspace(QuickDetection);
        try
        {
            await using var gateway = await TestGateway.StartAsync(await StoreAsync(), SlowSockets.SmallSendBuffer, workspace: workspace);
            await StalledStream.InstallAsync(gateway);
            var (stalledBearer, _) = await StalledStream.TokenAsync(gateway, gateway);
            var (bearer, _) = await StalledStream.TokenAsync(gateway, gateway);
            using var stalled = await StalledStream.OpenAsync(gateway, stalledBearer);
            using var reader = gateway.Client("Bearer", bearer);

            using var rows = await reader.GetAsync($"/v1/datasets/{StalledStream.Dataset}/rows");
            Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
            await Eventually.HoldsAsync(async () => (await gateway.LogEntriesAsync()).Any(e => Type(e) == "gateway.seal/v1"), "the auto-seal");
            await Assert.ThrowsAnyAsync<Exception>(stalled.ReadToEndAsync);
            using var next = await reader.GetAsync($"/v1/datasets/{StalledStream.Dataset}/rows");

            var entries = await gateway.LogEntriesAsync();
            var alertIndex = entries.FindIndex(e => Type(e) == "gateway.alert/v1" && e["body"]!["alert"]!.GetValue<string>() == "volume-spike");
            Assert.True(alertIndex >= 0, "no volume-spike alert in the log");
            var alert = entries[alertIndex]["body"]!;
            Assert.Equal(StalledStream.Recipient, alert["recipient"]!.GetValue<string>());
            Assert.Equal("rows", alert["subject"]!.GetValue<string>());
            Assert.True(alert["observed"]!.GetValue<double>() >= 1000);
            Assert.Equal(["hospital-research"], alert["autoSeal"]!.AsArray().Select(a => a!.GetValue<string>()));
            var seal = Assert.Single(entries, e => Type(e) == "gateway.seal/v1")["body"]!;
            Assert.Equal(entries[alertIndex]["index"]!.GetValue<long>(), seal["alert"]!.GetValue<long>());
            Assert.Contains("volume-spike", seal["reason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(seal["streamsStopped"]!.GetValue<int>() >= 1);
            await AssertProblemAsync(next, HttpStatusCode.Forbidden, "GW6005");
            var kpi = IncidentKpis.Compute(entries.Select(e => (e["index"]!.GetValue<long>(), LogEntry.TryParse(Convert.FromBase64String(e["bytes"]!.GetValue<string>()), out var entry, out _) ? entry : throw new InvalidDataException("an entry does not parse"))));
            Assert.Equal(0, kpi.Uncontained);
            Assert.True(kpi.TimeToContain.Count >= 1);
            Assert.True(kpi.RowsBeforeContainment >= 20_000, $"{kpi.RowsBeforeContainment} rows before containment");
            Assert.True(kpi.Incidents >= 1, "the alerts opened no incident for triage");
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public async Task Open_HospitalIncident_ClocksFromDetectionOverdueUntilNotifiedAndSeenByItsRecipientOnly()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        var detected = gateway.Clock.GetUtcNow().AddHours(-1);

        using var opened = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "high", suspected = "bulk download", triageOwner = "alice", detectedAt = detected, agreements = new[] { Hospital }, recipients = new[] { HospitalRecipient }, datasets = new[] { HospitalDataset } });
        using var other = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "low", suspected = "another partner", triageOwner = "bob" });
        var incident = (await opened.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = incident["id"]!.GetValue<string>();
        var otherId = (await other.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var seen = (await bearer.GetFromJsonAsync<JsonObject>("/v1/incidents"))!["incidents"]!.AsArray();
        using var hidden = await bearer.GetAsync($"/v1/incidents/{otherId}");
        gateway.Clock.Advance(TimeSpan.FromHours(72));
        var late = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/incidents/{id}"))!;
        using var notified = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "notify", actor = "alice", whom = "authority:DE", givenAt = detected.AddHours(70) });

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var clocks = incident["notifications"]!.AsArray();
        Assert.Equal(["authority:DE", "authority:NL", "party:st-aurelia"], clocks.Select(c => c!["whom"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(clocks, c => Assert.Equal(detected.AddHours(72), c!["due"]!.GetValue<DateTimeOffset>()));
        Assert.All(clocks, c => Assert.False(c!["isOverdue"]!.GetValue<bool>()));
        Assert.Equal([id], seen.Select(i => i!["id"]!.GetValue<string>()));
        await AssertProblemAsync(hidden, HttpStatusCode.NotFound, "GW6400");
        Assert.True(late["isOverdue"]!.GetValue<bool>());
        Assert.All(late["notifications"]!.AsArray(), c => Assert.True(c!["secondsLeft"]!.GetValue<long>() < 0));
        Assert.Equal(HttpStatusCode.OK, notified.StatusCode);
        var after = (await notified.Content.ReadFromJsonAsync<JsonObject>())!["incident"]!["notifications"]!.AsArray();
        var de = Assert.Single(after, c => c!["whom"]!.GetValue<string>() == "authority:DE")!;
        Assert.False(de["isOverdue"]!.GetValue<bool>());
        Assert.Equal(detected.AddHours(70), de["givenAt"]!.GetValue<DateTimeOffset>());
        Assert.Contains(await gateway.LogEntriesAsync(), e => Type(e) == "gateway.incident-opened/v1" && e["body"]!["incidentId"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Act_StoreCannotBeReachedForTheIncidentsLock_Returns503AndRecordsNothing()
    {
        await using var gateway = await StartAsync(overrides: StoreLockFails.Override("incident"));
        using var opened = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "high", suspected = "leaked secret", triageOwner = "alice" });
        var id = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var before = await gateway.LogEntriesAsync();

        using var act = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "acknowledge", actor = "alice" });

        await AssertProblemAsync(act, HttpStatusCode.ServiceUnavailable, "GW6021");
        Assert.Equal(before.Count, (await gateway.LogEntriesAsync()).Count);
    }

    [Fact]
    public async Task Acts_SealSnapshotClose_SealNamesTheIncidentSnapshotVerifiesOfflinePostmortemHasTheTimeline()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        using var opened = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "critical", suspected = "leaked secret", triageOwner = "alice", agreements = new[] { Hospital }, recipients = new[] { HospitalRecipient } });
        var id = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        using var seal = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "seal", actor = "alice", detail = "contain" });
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        using var snapshot = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "snapshot", actor = "bob" });
        using var again = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "snapshot", actor = "bob" });
        using var early = await gateway.Operator.GetAsync($"/v1/incidents/{id}/postmortem");
        using var close = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "close", actor = "bob", rootCause = "alice pasted the secret", fixes = new[] { "secret scanning" } });
        using var afterClose = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "remediate", actor = "bob", detail = "late" });
        var postmortem = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/incidents/{id}/postmortem?withoutPersonalData=true"))!;

        Assert.Equal(HttpStatusCode.OK, seal.StatusCode);
        await AssertProblemAsync(rows, HttpStatusCode.Forbidden, "GW6005");
        var entries = await gateway.LogEntriesAsync();
        Assert.Equal(id, Assert.Single(entries, e => Type(e) == "gateway.seal/v1")["body"]!["incidentId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        var manifest = (await snapshot.Content.ReadFromJsonAsync<JsonObject>())!["snapshot"]!;
        var folder = Path.Combine(gateway.Workspace, "incidents");
        await using (var export = File.OpenRead(Path.Combine(folder, manifest["export"]!.GetValue<string>())))
        {
            Assert.True(NoteKey.TryParseVerifierKey(File.ReadAllText(Path.Combine(gateway.Workspace, "log.pub")).Trim(), out var key, out _));
            var verified = await LogExportVerifier.VerifyAsync(export, key, default);
            Assert.True(verified.IsValid, verified.Problem?.Message);
            Assert.Equal(manifest["treeSize"]!.GetValue<long>(), verified.TreeSize);
        }

        await AssertProblemAsync(again, HttpStatusCode.Conflict, "GW6403");
        await AssertProblemAsync(early, HttpStatusCode.Conflict, "GW6404");
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        await AssertProblemAsync(afterClose, HttpStatusCode.Conflict, "GW6402");
        Assert.Equal("responder-1 pasted the secret", postmortem["rootCause"]!.GetValue<string>());
        var timeline = postmortem["timeline"]!.AsArray().Select(t => t!["what"]!.GetValue<string>()).ToList();
        Assert.Contains(timeline, t => t.StartsWith("gateway.seal/v1 recipient=northwind-research", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.StartsWith("gateway.incident-act/v1 act=close actor=responder-2", StringComparison.Ordinal));
        Assert.DoesNotContain("alice", postmortem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AgreementWithServiceLevels_ClocksFromDetectionMetByActsAndBreachedWhenLate()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallAsync(File.ReadAllText(TestGateway.SamplePath(Hospital)).Replace(
            "  autoSealAlerts: [bulk-download, reidentification-attempt]\n",
            "  autoSealAlerts: [bulk-download, reidentification-attempt]\n  serviceLevels: { acknowledge: PT1H, contain: PT4H, resolve: P7D }\n",
            StringComparison.Ordinal));
        var detected = gateway.Clock.GetUtcNow();

        using var opened = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "high", suspected = "bulk download", triageOwner = "alice", agreements = new[] { Hospital }, recipients = new[] { HospitalRecipient } });
        var id = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        gateway.Clock.Advance(TimeSpan.FromHours(2));
        var late = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/incidents/{id}"))!;
        using var sealedResponse = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "seal", actor = "alice" });
        var after = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/incidents/{id}"))!;

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var levels = late["serviceLevels"]!.AsArray();
        Assert.Equal(["acknowledge", "contain", "resolve"], levels.Select(l => l!["term"]!.GetValue<string>()));
        Assert.Equal([detected.AddHours(1), detected.AddHours(4), detected.AddDays(7)], levels.Select(l => l!["due"]!.GetValue<DateTimeOffset>()));
        Assert.Equal([true, false, false], levels.Select(l => l!["isBreached"]!.GetValue<bool>()));
        Assert.Equal(-3600, levels[0]!["secondsLeft"]!.GetValue<long>());
        Assert.Equal([Hospital], levels[0]!["agreements"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, sealedResponse.StatusCode);
        var met = after["serviceLevels"]!.AsArray();
        Assert.Equal(detected.AddHours(2), met[0]!["metAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(detected.AddHours(2), met[1]!["metAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal([true, false, false], met.Select(l => l!["isBreached"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Incidents_BadInput_OneClearProblemEach()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var opened = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "low", suspected = "s", triageOwner = "alice" });
        var id = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        using var severity = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "dire", suspected = "s", triageOwner = "alice" });
        using var owner = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "low", suspected = "s" });
        using var agreement = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "low", suspected = "s", triageOwner = "alice", agreements = new[] { "no-such-agreement" } });
        using var future = await gateway.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "low", suspected = "s", triageOwner = "alice", detectedAt = gateway.Clock.GetUtcNow().AddDays(1) });
        using var act = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "dance", actor = "alice" });
        using var nobody = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "notify", actor = "alice" });
        using var noRecipient = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "seal", actor = "alice" });
        using var unknown = await gateway.Operator.PostAsJsonAsync("/v1/incidents/inc_unknown/acts", new { act = "remediate", actor = "alice", detail = "d" });
        using var badId = await gateway.Operator.GetAsync("/v1/incidents/bad'id");
        using var anonymous = await gateway.Anonymous.GetAsync("/v1/incidents");
        using var recipientOpens = await (await HospitalTokenAsync(gateway, install: false)).PostAsJsonAsync("/v1/incidents", new { severity = "low", suspected = "s", triageOwner = "alice" });

        await AssertProblemAsync(severity, HttpStatusCode.UnprocessableEntity, "GW6401");
        await AssertProblemAsync(owner, HttpStatusCode.UnprocessableEntity, "GW6401");
        Assert.Contains("no-such-agreement", (await AssertProblemAsync(agreement, HttpStatusCode.UnprocessableEntity, "GW6401"))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProblemAsync(future, HttpStatusCode.UnprocessableEntity, "GW6401");
        await AssertProblemAsync(act, HttpStatusCode.UnprocessableEntity, "GW6401");
        await AssertProblemAsync(nobody, HttpStatusCode.Conflict, "GW6402");
        await AssertProblemAsync(noRecipient, HttpStatusCode.Conflict, "GW6402");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "GW6400");
        await AssertProblemAsync(badId, HttpStatusCode.BadRequest, "GW6018");
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "GW6001");
        await AssertProblemAsync(recipientOpens, HttpStatusCode.Forbidden, "GW6017");
    }

    [Fact]
    public async Task Indicators_PartnerBundleNamesAToken_AlertSealsUnderTheAgreementAndTheTokenStops()
    {
        await using var gateway = await StartAsync();
        var (bearer, tokenId) = await HospitalTokenWithIdAsync(gateway);
        var bundle = $$"""
            {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
              {"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-06-03T10:06:00.000Z","modified":"2026-06-03T10:06:00.000Z",
               "labels":["bulk-download","free text from a partner"],"pattern":"[x-concordat-token:token_id = '{{tokenId}}']","pattern_type":"stix","valid_from":"2026-06-03T10:05:00.000Z"},
              {"type":"indicator","spec_version":"2.1","id":"indicator--0f4f9a36-4f0e-4a5b-9d43-6b1b1f2c0a11","created":"2026-06-03T10:06:00.000Z","modified":"2026-06-03T10:06:00.000Z",
               "pattern":"[user-account:user_id = 'cli_nobody']","pattern_type":"stix","valid_from":"2026-06-03T10:05:00.000Z"}]}
            """;
        var apt1 = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Find(), "tests", "vendor", "oasis-stix", "examples", "threat-reports", "apt1.json"));

        using var imported = await gateway.Operator.PostAsync("/v1/indicators", new StringContent(bundle, System.Text.Encoding.UTF8, "application/json"));
        using var example = await gateway.Operator.PostAsync("/v1/indicators", new StringContent(apt1, System.Text.Encoding.UTF8, "application/json"));
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var answer = (await imported.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(2, answer["indicators"]!.GetValue<int>());
        var match = Assert.Single(answer["matches"]!.AsArray())!;
        Assert.Equal(HospitalRecipient, match["recipient"]!.GetValue<string>());
        Assert.Equal(tokenId, match["tokenId"]!.GetValue<string>());
        Assert.Equal([Hospital], match["autoSeal"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, example.StatusCode);
        Assert.Empty((await example.Content.ReadFromJsonAsync<JsonObject>())!["matches"]!.AsArray());
        await AssertProblemAsync(rows, HttpStatusCode.Forbidden, "GW6005");
        var entries = await gateway.LogEntriesAsync();
        var alert = Assert.Single(entries, e => Type(e) == "gateway.alert/v1")["body"]!;
        Assert.Equal("shared-indicator", alert["alert"]!.GetValue<string>());
        Assert.Equal("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f (volume-spike)", alert["subject"]!.GetValue<string>());
        Assert.Contains(entries, e => Type(e) == "gateway.seal/v1" && e["body"]!["alert"]!.GetValue<long>() == match["alert"]!.GetValue<long>());
        Assert.DoesNotContain(entries, e => e.ToJsonString().Contains("free text from a partner", StringComparison.Ordinal));
        Assert.Contains(entries, e => Type(e) == "gateway.incident-opened/v1" && e["body"]!["recipients"]![0]!.GetValue<string>() == HospitalRecipient);
    }

    [Fact]
    public async Task Indicators_BadInput_OneClearProblemEach()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var notJson = await gateway.Operator.PostAsync("/v1/indicators", new StringContent("{\"type\":", System.Text.Encoding.UTF8, "application/json"));
        using var notBundle = await gateway.Operator.PostAsync("/v1/indicators", new StringContent("""{"type":"bundle","id":"bundle--1","objects":{}}""", System.Text.Encoding.UTF8, "application/json"));
        using var plain = await gateway.Operator.PostAsync("/v1/indicators", new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"));
        using var huge = await gateway.Operator.PostAsync("/v1/indicators", new StringContent($$"""{"type":"bundle","id":"bundle--1","x":"{{new string('a', 1_100_000)}}"}""", System.Text.Encoding.UTF8, "application/json"));
        using var recipient = await (await HospitalTokenAsync(gateway, install: false)).PostAsync("/v1/indicators", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        await AssertProblemAsync(notJson, HttpStatusCode.UnprocessableEntity, "GW6406");
        Assert.Contains("not an array", (await AssertProblemAsync(notBundle, HttpStatusCode.UnprocessableEntity, "GW6406"))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProblemAsync(plain, HttpStatusCode.UnsupportedMediaType, "GW6023");
        await AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge, "GW6012");
        await AssertProblemAsync(recipient, HttpStatusCode.Forbidden, "GW6017");
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => Type(e) == "gateway.alert/v1");
    }

    [Fact]
    public async Task Detection_AfterRestart_KeepsTheBaselineFromTheLog()
    {
        // An hour's warm-up; 30 rows an hour are a spike. The sample dataset has 20 rows a read.
        var workspace = Workspace("""{"warmupHours": 1, "warmupActiveHours": 1, "minimumRows": 30}""");
        var store = await StoreAsync();
        try
        {
            await using (var first = await TestGateway.StartAsync(store, workspace: workspace))
            {
                // No auto-seal: the recipient reads on after its first spike.
                await first.InstallAsync(File.ReadAllText(TestGateway.SamplePath(Hospital)).Replace("autoSealAlerts: [bulk-download, ", "autoSealAlerts: [", StringComparison.Ordinal));
                await ReadRowsAsync(first, await TokenAsync(first, HospitalRecipient));
                first.Clock.Advance(TimeSpan.FromHours(1));
                using var bearer = await TokenAsync(first, HospitalRecipient);
                await ReadRowsAsync(first, bearer);
                await ReadRowsAsync(first, bearer);
                await JudgedAllAsync(first);
                Assert.Contains(await first.LogEntriesAsync(), e => IsAlert(e, "volume-spike"));
            }

            await using var second = await TestGateway.StartAsync(store, workspace: workspace);
            second.Clock.Advance(TimeSpan.FromHours(2));
            using var after = await TokenAsync(second, HospitalRecipient);

            await ReadRowsAsync(second, after);
            await JudgedAllAsync(second);
            var normal = (await second.LogEntriesAsync()).Count(e => e["type"]!.GetValue<string>() == "gateway.alert/v1");
            await ReadRowsAsync(second, after);
            await JudgedAllAsync(second);

            var alerts = (await second.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.alert/v1").ToList();
            Assert.Equal(1, normal);
            Assert.Equal(["volume-spike", "volume-spike"], alerts.Select(e => e["body"]!["alert"]!.GetValue<string>()));
            Assert.Equal(second.Clock.GetUtcNow(), alerts[1]["body"]!["firstAnomalousAt"]!.GetValue<DateTimeOffset>());
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    /// <summary>Reads the hospital's rows with <paramref name="bearer"/> and returns how many left, once the egress entry is durable.</summary>
    private protected static async Task<long> ReadRowsAsync(TestGateway gateway, HttpClient bearer)
    {
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        await rows.Content.ReadAsByteArrayAsync();
        var egress = await WaitForEntryAsync(gateway, "gateway.egress/v1", rows.Headers.GetValues("Concordat-Decision-Id").Single());
        return egress["body"]!["rows"]!.GetValue<long>();
    }

    /// <summary>Waits until the detectors of every gateway have judged every entry of the log and raised what they noticed.</summary>
    private protected static Task JudgedAllAsync(params TestGateway[] gateways) => Eventually.HoldsAsync(async () =>
    {
        var size = await gateways[0].Services.GetRequiredService<ILogReader>().ReadTreeSizeAsync(CancellationToken.None);
        return gateways.All(g => g.Services.GetServices<IHostedService>().OfType<DetectionService>().Single().Judged >= size);
    }, "the detectors judged every entry");

    private protected static bool IsAlert(JsonObject entry, string name) =>
        entry["type"]!.GetValue<string>() == "gateway.alert/v1" && entry["body"]!["alert"]!.GetValue<string>() == name;

    internal static string Workspace(string detection)
    {
        var workspace = Directory.CreateTempSubdirectory("concordat-gw-").FullName;
        File.WriteAllText(Path.Combine(workspace, "detection.json"), detection);
        return workspace;
    }

    private static string Type(JsonObject entry) => entry["type"]!.GetValue<string>();
}
