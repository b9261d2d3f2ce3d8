using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Store.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Incidents;

/// <summary>
/// Report intake over real HTTP: a report from anyone is stored, logged by its digests, opens an incident for triage,
/// and is followed up with the secret given once; bad input gets one problem each, and each source has its hourly limit.
/// </summary>
public abstract class ReportsScenarios : GatewayScenarios
{
    private const string Details = "the export endpoint echoes the bearer of another tenant";

    [Fact]
    public async Task Submit_AnonymousReport_StoredLoggedByDigestOpensTriageAndFollowedUpWithTheSecret()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallAsync(HospitalWithVulnerabilityDeadlines());
        var received = gateway.Clock.GetUtcNow();

        using var submitted = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "vulnerability", summary = "tokens of other tenants", details = Details, agreement = Hospital });
        var receipt = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = receipt["id"]!.GetValue<string>();
        var secret = receipt["secret"]!.GetValue<string>();
        var first = await StatusAsync(gateway, id, secret);
        var entries = await gateway.LogEntriesAsync();
        var report = Assert.Single(entries, e => Type(e) == "gateway.report-received/v1")["body"]!;
        var incidentId = report["incidentId"]!.GetValue<string>();
        using var acknowledged = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{incidentId}/acts", new { act = "acknowledge", actor = "alice" });
        var second = await StatusAsync(gateway, id, secret);
        gateway.Clock.Advance(TimeSpan.FromHours(73));
        var late = await StatusAsync(gateway, id, secret);
        using var remediated = await gateway.Operator.PostAsJsonAsync($"/v1/incidents/{incidentId}/acts", new { act = "remediate", actor = "alice", detail = "fixed the echo" });
        var responded = await StatusAsync(gateway, id, secret);
        var content = await ContentAsync(gateway, id);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal($"/v1/reports/{id}", submitted.Headers.Location?.OriginalString);
        Assert.True(submitted.Headers.CacheControl?.NoStore);
        Assert.StartsWith("rep_", id, StringComparison.Ordinal);
        Assert.Equal(43, secret.Length);
        Assert.Equal(received.AddHours(24), receipt["acknowledgeBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal(received.AddHours(72), receipt["respondBy"]!.GetValue<DateTimeOffset>());
        Assert.Equal("anonymous", report["reporter"]!.GetValue<string>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret))), report["secretSha256"]!.GetValue<string>());
        Assert.Equal(Details, content["details"]!.GetValue<string>());
        Assert.Equal("tokens of other tenants", content["summary"]!.GetValue<string>());
        Assert.Equal(incidentId, content["incidentId"]!.GetValue<string>());
        Assert.Equal(report["contentSha256"]!.GetValue<string>(), content["contentSha256"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(gateway.Workspace, "reports")));
        var triage = Assert.Single(entries, e => Type(e) == "gateway.incident-opened/v1")["body"]!;
        Assert.Equal(incidentId, triage["incidentId"]!.GetValue<string>());
        Assert.Equal("unassigned", triage["triageOwner"]!.GetValue<string>());
        Assert.All(entries, e => Assert.DoesNotContain(Details, e.ToJsonString(), StringComparison.Ordinal));
        Assert.All(entries, e => Assert.DoesNotContain(secret, e.ToJsonString(), StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Messages, m => m.Contains(secret, StringComparison.Ordinal));
        Assert.Equal("received", first["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal("acknowledged", second["state"]!.GetValue<string>());
        Assert.Equal(received, second["acknowledgedAt"]!.GetValue<DateTimeOffset>());
        Assert.False(second["isBreached"]!.GetValue<bool>());
        Assert.True(late["isBreached"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, remediated.StatusCode);
        Assert.Equal("responded", responded["state"]!.GetValue<string>());
        Assert.True(responded["isBreached"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Submit_ByARecipientWithoutDeadlines_NamesTheRecipientAndSetsNoDeadline()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);

        using var submitted = await bearer.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = "a partner scrapes the catalogue" });
        var receipt = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Null(receipt["acknowledgeBy"]);
        Assert.Null(receipt["respondBy"]);
        var report = Assert.Single(await gateway.LogEntriesAsync(), e => Type(e) == "gateway.report-received/v1")["body"]!;
        Assert.Equal(HospitalRecipient, report["reporter"]!.GetValue<string>());
        Assert.Equal("abuse", report["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reports_BadInput_OneClearProblemEach()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var ok = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = "s" });
        var id = (await ok.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        using var kind = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "rumour", summary = "s" });
        using var summary = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "abuse" });
        using var longSummary = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = new string('s', 201) });
        using var agreement = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = "s", agreement = "no-such-agreement" });
        using var huge = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = "s", details = new string('d', 70_000) });
        using var plain = await gateway.Anonymous.PostAsync("/v1/reports", new StringContent("kind=abuse", Encoding.UTF8, "text/plain"));
        using var noSecret = await gateway.Anonymous.GetAsync($"/v1/reports/{id}");
        using var wrongSecret = await Get(gateway, id, "wrong-secret-value");
        using var unknown = await Get(gateway, "rep_unknown", "wrong-secret-value");
        using var badId = await Get(gateway, "rep'1", "wrong-secret-value");

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        await AssertProblemAsync(kind, HttpStatusCode.UnprocessableEntity, "GW6407");
        await AssertProblemAsync(summary, HttpStatusCode.UnprocessableEntity, "GW6407");
        await AssertProblemAsync(longSummary, HttpStatusCode.UnprocessableEntity, "GW6407");
        Assert.Contains("no-such-agreement", (await AssertProblemAsync(agreement, HttpStatusCode.UnprocessableEntity, "GW6407"))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge, "GW6012");
        await AssertProblemAsync(plain, HttpStatusCode.UnsupportedMediaType, "GW6023");
        await AssertProblemAsync(noSecret, HttpStatusCode.BadRequest, "GW6409");
        await AssertProblemAsync(wrongSecret, HttpStatusCode.NotFound, "GW6408");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "GW6408");
        await AssertProblemAsync(badId, HttpStatusCode.BadRequest, "GW6018");
        var entries = await gateway.LogEntriesAsync();
        Assert.Single(entries, e => Type(e) == "gateway.report-received/v1");
        Assert.All(entries, e => Assert.DoesNotContain("wrong-secret-value", e.ToJsonString(), StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(gateway.Workspace, "reports")));
    }

    [Fact]
    public async Task Content_ForTheOperatorOnly_AndReportsTakenBeforeTheStoreAreReadFromTheWorkspace()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        var store = gateway.Services.GetRequiredService<IRegistryStore>();
        using var submitted = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = "s", details = Details });
        var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var document = (await store.FindReportAsync(new ReportId(id), default))!.Document;

        using var asRecipient = await bearer.GetAsync($"/v1/reports/{id}/content");
        using var anonymous = await gateway.Anonymous.GetAsync($"/v1/reports/{id}/content");
        using var unknown = await gateway.Operator.GetAsync("/v1/reports/rep_unknown/content");
        await store.DeleteReportAsync(new ReportId(id), default);
        using var notHeld = await gateway.Operator.GetAsync($"/v1/reports/{id}/content");
        Directory.CreateDirectory(Path.Combine(gateway.Workspace, "reports"));
        await File.WriteAllBytesAsync(Path.Combine(gateway.Workspace, "reports", id + ".json"), document);
        var legacy = await ContentAsync(gateway, id);

        await AssertProblemAsync(asRecipient, HttpStatusCode.Forbidden, "GW6017");
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "GW6001");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "GW6408");
        await AssertProblemAsync(notHeld, HttpStatusCode.NotFound, "GW6410");
        Assert.Equal(Details, legacy["details"]!.GetValue<string>());
        Assert.Equal("anonymous", legacy["reporter"]!.GetValue<string>());
        var entry = Assert.Single(await gateway.LogEntriesAsync(), e => Type(e) == "gateway.report-received/v1")["body"]!;
        Assert.Equal(entry["contentSha256"]!.GetValue<string>(), legacy["contentSha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task Submit_PastTheHourlyLimitOfASource_429WithRetryAfterWhileAnotherSourceIsTaken()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        for (var i = 0; i < GatewayOptions.DefaultReportsPerHour; i++)
        {
            using var taken = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = "s" });
            Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        }

        using var refused = await gateway.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = "s" });
        using var recipient = await bearer.PostAsJsonAsync("/v1/reports", new { kind = "abuse", summary = "s" });

        Assert.Contains("report limit", (await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "GW6010"))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Created, recipient.StatusCode);
    }

    private static string HospitalWithVulnerabilityDeadlines() =>
        File.ReadAllText(TestGateway.SamplePath(Hospital)).Replace(
            "  autoSealAlerts: [bulk-download, reidentification-attempt]\n",
            "  autoSealAlerts: [bulk-download, reidentification-attempt]\n  vulnerabilityAcknowledgeHours: 24\n  vulnerabilityResponseHours: 72\n",
            StringComparison.Ordinal);

    private protected static async Task<HttpResponseMessage> Get(TestGateway gateway, string id, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/reports/{Uri.EscapeDataString(id)}");
        request.Headers.Add("Report-Secret", secret);
        return await gateway.Anonymous.SendAsync(request);
    }

    private protected static async Task<JsonObject> ContentAsync(TestGateway gateway, string id)
    {
        using var response = await gateway.Operator.GetAsync($"/v1/reports/{id}/content");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private protected static async Task<JsonObject> StatusAsync(TestGateway gateway, string id, string secret)
    {
        using var response = await Get(gateway, id, secret);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private protected static string Type(JsonObject entry) => entry["type"]!.GetValue<string>();
}
