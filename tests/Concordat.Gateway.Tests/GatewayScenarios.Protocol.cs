using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests;

/// <summary>The protocol as independent checkers read it: one spelling of an action, one form of a time, one type of a version.</summary>
public abstract partial class GatewayScenarios
{
    [Theory]
    [InlineData("aggregate-query", "aggregate-query")]
    [InlineData("downloadSnapshot", "download-snapshot")]
    public async Task IssueToken_Action_IsReadInKebabCaseOrDeprecatedCamelCaseAndLoggedInKebabCase(string asked, string logged)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "analysis");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "evaluation", "DE", asked);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        var entry = (await gateway.LogEntriesAsync()).Single(e => e["body"]!["decisionId"]?.GetValue<string>() == problem["decisionId"]!.GetValue<string>());
        Assert.Equal(logged, entry["body"]!["action"]!.GetValue<string>());
        Assert.Equal(logged, entry["body"]!["record"]!["request"]!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task LogEntries_EveryTime_HasTheOneFormInTheBytesAndTheEnvelope()
    {
        await using var gateway = await StartAsync();
        gateway.Clock.Advance(TimeSpan.FromTicks(8_914_567));
        await HospitalTokenAsync(gateway);

        var entries = await gateway.LogEntriesAsync();

        var issued = entries.Single(e => e["type"]!.GetValue<string>() == "gateway.token-issued/v1");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", issued["body"]!["expiresAt"]!.GetValue<string>());
        foreach (var entry in entries)
        {
            var bytes = JsonNode.Parse(Convert.FromBase64String(entry["bytes"]!.GetValue<string>()))!;
            Assert.Equal(bytes["time"]!.GetValue<string>(), entry["time"]!.GetValue<string>());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", entry["time"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task ImportVersion_VersionInAnswerAndEntry_IsAnInteger()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        var import = (await gateway.LogEntriesAsync()).First(e => e["type"]!.GetValue<string>() == "gateway.dataset-import/v1");
        using var response = await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(TestGateway.ReadSample(Hospital).Datasets[0], 2, "research", "DE"));

        Assert.Equal(1, import["body"]!["version"]!.GetValue<int>());
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        Assert.Equal(JsonValueKind.Number, body!["version"]!.GetValueKind());
    }

    [Theory]
    [InlineData("text/csv;q=0")]
    [InlineData("text/csv;q=0, */*;q=0.5, application/x-ndjson;q=0")]
    public async Task ReadRows_EveryRowFormatAtQualityZero_Returns406WithTraceId(string accept)
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{HospitalDataset}/rows");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await bearer.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.NotAcceptable, "GW6019");
        await AssertRefusalLoggedAsync(gateway, "GW6019");
    }

    [Theory]
    [InlineData("text/csv;q=0, */*", "application/x-ndjson")]
    [InlineData("text/*;q=0.2, application/x-ndjson;q=0.5", "application/x-ndjson")]
    [InlineData("application/x-ndjson;q=0.5, text/csv", "text/csv")]
    public async Task ReadRows_Accept_ServesTheFormatOfHighestQuality(string accept, string served)
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{HospitalDataset}/rows");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await bearer.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(served, response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task IssueToken_LifetimeNotPositive_Returns400AndLogsRefusal(int lifetimeSeconds)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", lifetimeSeconds: lifetimeSeconds);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6013");
        Assert.Contains("`lifetimeSeconds`", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertRefusalLoggedAsync(gateway, "GW6013");
    }

    [Fact]
    public async Task IssueToken_UnknownSubprocessor_Returns400AndLogsRefusalNotADecision()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", subprocessor: "shadow-compute");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6013");
        Assert.Contains("`shadow-compute`", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertRefusalLoggedAsync(gateway, "GW6013");
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["clientId"]?.GetValue<string>() == clientId);
    }

    [Fact]
    public async Task IssueToken_OverTheRateLimit_RetryAfterIsTheTimeLeftInTheWindow()
    {
        await using var gateway = await StartAsync();
        var (_, client) = await SpendRateLimitAsync(gateway);
        using var recipient = client;
        gateway.Clock.Advance(TimeSpan.FromMinutes(20));

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");

        await AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "GW6010");
        Assert.Equal(TimeSpan.FromMinutes(40), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ReadLog_AnonymousOverTheSharedLimit_Returns429WithRetryAfter()
    {
        await using var gateway = await StartAsync(overrides: services => services.Configure<GatewayOptions>(o => o.AnonymousRequestsPerSecond = 1));

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add(await gateway.Anonymous.GetAsync("/v1/log/entries?cursor=0&limit=1"));
        }

        var refused = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "GW6010");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        statuses.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task UploadAgreement_DocumentThatDoesNotRead_Returns422AndLogsRefusal()
    {
        await using var gateway = await StartAsync();

        using var response = await gateway.UploadAsync("concordat: [1\n", null);

        var problem = await AssertProblemAsync(response, (HttpStatusCode)422, "GW6015");
        Assert.NotEmpty(problem["diagnostics"]!.AsArray());
        await AssertRefusalLoggedAsync(gateway, "GW6015");
    }

    [Fact]
    public async Task ImportVersion_RowsThatDoNotMatch_DiagnosticsNameTheUploadedFile()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var content = new StringContent("patient_id,unknown\n1,2\n", Encoding.UTF8, "text/csv");
        content.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileNameStar = "cardiology-2026.csv" };

        using var response = await gateway.Operator.PostAsync($"/v1/datasets/{HospitalDataset}/versions", content);

        var problem = await AssertProblemAsync(response, (HttpStatusCode)422, "GW6016");
        Assert.All(problem["diagnostics"]!.AsArray(), d => Assert.StartsWith("cardiology-2026.csv", d!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryInstant_InAnswers_HasTheOneForm()
    {
        await using var gateway = await StartAsync();
        gateway.Clock.Advance(TimeSpan.FromTicks(8_914_567));
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");

        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", token["expiresAt"]!.GetValue<string>());
    }
}
