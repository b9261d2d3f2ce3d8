using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Security;

/// <summary>Who the caller is and how much it may ask: missing, expired, revoked and misused credentials on every route, the operator key, the rate limits and their refusals, and no secret in any log.</summary>
public abstract class SecurityScenarios : GatewayScenarios
{
    [Fact]
    public async Task ReadRows_NoToken_Returns401AndLogsRefusal()
    {
        await using var gateway = await StartAsync();

        using var response = await gateway.Anonymous.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "GW6001");
        await AssertRefusalLoggedAsync(gateway, "GW6001");
    }

    [Fact]
    public async Task ReadRows_ExpiredToken_Returns401()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        gateway.Clock.Advance(TimeSpan.FromMinutes(16));

        using var response = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "GW6003");
        await AssertRefusalLoggedAsync(gateway, "GW6003");
    }

    [Fact]
    public async Task ReadRows_RevokedToken_Returns401()
    {
        await using var gateway = await StartAsync();
        var (bearer, tokenId) = await HospitalTokenWithIdAsync(gateway);
        using var revoke = await bearer.DeleteAsync($"/v1/tokens/{tokenId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var response = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "GW6004");
        var entries = await gateway.LogEntriesAsync();
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.token-revoked/v1");
        await AssertRefusalLoggedAsync(gateway, "GW6004");
    }

    [Fact]
    public async Task IssueToken_RecipientOverItsRateLimit_Returns429WhileAnotherRecipientIsServed()
    {
        await using var gateway = await StartAsync();
        var yaml = TwoRecipientHospital(rateLimit: "{ requests: 3, period: PT1H }");
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var (northwindId, northwindSecret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        var (southwindId, southwindSecret) = await gateway.CreateIdentityAsync("southwind-labs", "training");
        using var northwind = gateway.ClientFor(northwindId, northwindSecret);
        using var southwind = gateway.ClientFor(southwindId, southwindSecret);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await TestGateway.RequestTokenAsync(northwind, HospitalDataset, "research", "DE")).StatusCode);
        }

        using var limited = await TestGateway.RequestTokenAsync(northwind, HospitalDataset, "research", "DE");
        var others = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            others.Add((await TestGateway.RequestTokenAsync(southwind, HospitalDataset, "research", "DE")).StatusCode);
        }

        var problem = await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "GW6010");
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Contains("retry after", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(others, status => Assert.Equal(HttpStatusCode.Created, status));
    }

    [Fact]
    public async Task IssueToken_FloodOverTheRateLimit_LogsOneRefusalPerPeriodWithItsCount()
    {
        await using var gateway = await StartAsync();
        var (clientId, client) = await SpendRateLimitAsync(gateway);
        using var recipient = client;

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            flood.Add((await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE")).StatusCode);
        }

        var afterFlood = RateLimitRefusals(await gateway.LogEntriesAsync());
        gateway.Clock.Advance(Concordat.Gateway.Security.RateLimitRefusals.Period);
        using var nextPeriod = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        var afterNextPeriod = RateLimitRefusals(await gateway.LogEntriesAsync());

        Assert.All(flood, status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
        await AssertProblemAsync(nextPeriod, HttpStatusCode.TooManyRequests, "GW6010");
        var first = Assert.Single(afterFlood);
        Assert.Equal(1, first["body"]!["count"]!.GetValue<int>());
        Assert.Equal(HospitalRecipient, first["body"]!["recipient"]!.GetValue<string>());
        Assert.Equal(clientId, first["body"]!["clientId"]!.GetValue<string>());
        Assert.Equal(2, afterNextPeriod.Count);
        Assert.Equal(3, afterNextPeriod[1]["body"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task IssueToken_FloodThenSilence_RefusalsNotOnRecordAreWrittenOnceThePeriodHasPassed()
    {
        await using var gateway = await StartAsync();
        var (clientId, client) = await SpendRateLimitAsync(gateway);
        using var recipient = client;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, (await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE")).StatusCode);
        }

        var refusals = gateway.Services.GetRequiredService<Concordat.Gateway.Security.RateLimitRefusals>();
        var writtenEarly = await refusals.FlushAsync(all: false, default);
        gateway.Clock.Advance(Concordat.Gateway.Security.RateLimitRefusals.Period);
        var writtenLate = await refusals.FlushAsync(all: false, default);
        var writtenAgain = await refusals.FlushAsync(all: true, default);

        // The first 429 wrote its entry; the two after it wait for the period, then are written by the flush alone.
        Assert.Equal(0, writtenEarly);
        Assert.Equal(1, writtenLate);
        Assert.Equal(0, writtenAgain);
        var entries = RateLimitRefusals(await gateway.LogEntriesAsync());
        Assert.Equal([1, 2], entries.Select(e => e["body"]!["count"]!.GetValue<int>()));
        Assert.Equal(clientId, entries[1]["body"]!["clientId"]!.GetValue<string>());
        Assert.Equal(entries[0]["body"]!["route"]!.GetValue<string>(), entries[1]["body"]!["route"]!.GetValue<string>());
    }

    [Fact]
    public async Task IssueToken_FloodThenStop_RefusalsNotOnRecordAreWrittenWhenTheFlusherStops()
    {
        await using var gateway = await StartAsync();
        var (_, client) = await SpendRateLimitAsync(gateway);
        using var recipient = client;
        for (var i = 0; i < 3; i++)
        {
            await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        }

        var flusher = gateway.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Concordat.Gateway.Security.RateLimitRefusalFlusher>().Single();
        await flusher.StopAsync(default);

        Assert.Equal([1, 2], RateLimitRefusals(await gateway.LogEntriesAsync()).Select(e => e["body"]!["count"]!.GetValue<int>()));
    }

    [Fact]
    public async Task ReadRows_TokenForAnotherDataset_Returns403()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);

        using var response = await bearer.GetAsync("/v1/datasets/other-dataset/rows");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6007");
        await AssertRefusalLoggedAsync(gateway, "GW6007");
    }

    [Fact]
    public async Task IssueToken_WrongSecret_Returns401AndLogsRefusal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, _) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, "cds_wrong");

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "GW6002");
        await AssertRefusalLoggedAsync(gateway, "GW6002");
    }

    [Fact]
    public async Task OperatorApi_WithoutAdminKey_Returns401AndRecipientsGet403()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);

        using var anonymous = await gateway.Anonymous.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "x" });
        using var recipient = await bearer.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "x" });

        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "GW6001");
        await AssertProblemAsync(recipient, HttpStatusCode.Forbidden, "GW6017");
    }

    [Fact]
    public async Task Logs_AfterAFullFlow_HoldNoSecretTokenOrKey()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        var token = (await (await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE")).Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        using var bearer = gateway.Client("Bearer", token);
        await (await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows")).Content.ReadAsByteArrayAsync();
        await gateway.ClientFor(clientId, "cds_wrong").PostAsJsonAsync("/v1/tokens", new { dataset = HospitalDataset });
        await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "drill" });

        var secrets = new[]
        {
            secret,
            token,
            GatewayWorkspace.ReadAdminKey(gateway.Workspace)!,
            File.ReadAllText(Path.Combine(gateway.Workspace, GatewayWorkspace.PseudonymKeyFileName)).Trim(),
            File.ReadAllText(Path.Combine(gateway.Workspace, GatewayWorkspace.LogKeyFileName)).Trim(),
        };
        var logEntries = string.Join("\n", (await gateway.LogEntriesAsync()).Select(e => e.ToJsonString()));

        Assert.NotEmpty(gateway.Logs.Messages);
        foreach (var value in secrets)
        {
            Assert.DoesNotContain(gateway.Logs.Messages, m => m.Contains(value, StringComparison.Ordinal));
            Assert.DoesNotContain(value, logEntries, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("revoked", HttpStatusCode.Unauthorized, "GW6004")]
    [InlineData("expired", HttpStatusCode.Unauthorized, "GW6003")]
    [InlineData("sealed", HttpStatusCode.Forbidden, "GW6005")]
    public async Task EveryRoute_TokenNoLongerValid_IsRefusedWithItsCodeAndLogged(string state, HttpStatusCode status, string code)
    {
        await using var gateway = await StartAsync();
        var (bearer, tokenId) = await HospitalTokenWithIdAsync(gateway);
        await MakeAsync(gateway, state, tokenId);
        var routes = await RoutesAsync(gateway);
        var before = (await gateway.LogEntriesAsync()).Count;

        var answers = new List<string>();
        foreach (var (method, path, _, mediaType) in routes)
        {
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent("{}", Encoding.UTF8, mediaType) };
            using var response = await bearer.SendAsync(request);
            var problem = await AssertProblemAsync(response, status, code);
            answers.Add($"{method} {path}: {problem["code"]}");
        }

        Assert.True(routes.Count >= 16, $"only {routes.Count} routes in the OpenAPI document");
        Assert.Equal(routes.Count, answers.Count);
        var refusals = (await gateway.LogEntriesAsync()).Skip(before)
            .Where(e => e["type"]!.GetValue<string>() == "gateway.refusal/v1" && e["body"]!["code"]!.GetValue<string>() == code)
            .ToList();
        Assert.Equal(routes.Select(r => WithoutFinalSlash(r.Template)).Order(StringComparer.Ordinal), refusals.Select(r => WithoutFinalSlash(OpenApiForm(r["body"]!["route"]!.GetValue<string>()))).Order(StringComparer.Ordinal));
        Assert.All(refusals, r => Assert.Equal(tokenId, r["body"]!["tokenId"]!.GetValue<string>()));
        Assert.All(refusals, r => Assert.Equal(HospitalRecipient, r["body"]!["recipient"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnonymousRoute_UnknownBearerToken_IsRefusedNotServedAsAnonymous()
    {
        await using var gateway = await StartAsync();
        using var stranger = gateway.Client("Bearer", "cdt_not-a-token");

        using var response = await stranger.GetAsync("/v1/log/checkpoint");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "GW6001");
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

    // The hospital's recipient may take one token an hour: a client of it takes that token, so its next request is a 429.
    private static async Task<(string ClientId, HttpClient Client)> SpendRateLimitAsync(TestGateway gateway)
    {
        var yaml = TwoRecipientHospital(rateLimit: "{ requests: 1, period: PT1H }");
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        var client = gateway.ClientFor(clientId, secret);
        Assert.Equal(HttpStatusCode.Created, (await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE")).StatusCode);
        return (clientId, client);
    }

    private static List<JsonObject> RateLimitRefusals(List<JsonObject> entries) =>
        entries.Where(e => e["type"]!.GetValue<string>() == "gateway.refusal/v1" && e["body"]!["code"]!.GetValue<string>() == "GW6010").ToList();

    // Route groups name `/v1/agreements` as `/v1/agreements/`; the root stays `/`.
    // The OpenAPI document writes a catch-all parameter `{**path}` (the tile routes) as `{path}`.
    private static string OpenApiForm(string route) => route.Replace("{**", "{", StringComparison.Ordinal);

    private static string WithoutFinalSlash(string route) => route.EndsWith('/') && !route.EndsWith(" /", StringComparison.Ordinal) ? route[..^1] : route;

    private static async Task MakeAsync(TestGateway gateway, string state, string tokenId)
    {
        using var response = state switch
        {
            "revoked" => await gateway.Operator.DeleteAsync($"/v1/tokens/{tokenId}"),
            "sealed" => await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "test" }),
            _ => null,
        };
        if (state == "expired")
        {
            gateway.Clock.Advance(TimeSpan.FromMinutes(16));
        }
        else
        {
            Assert.True(response!.IsSuccessStatusCode, $"{state}: {(int)response.StatusCode}");
        }
    }

    /// <summary>Every operation of the served OpenAPI document, with its path parameters filled in, its template as refusal entries name it, and a media type it accepts.</summary>
    private static async Task<List<(HttpMethod Method, string Path, string Template, string MediaType)>> RoutesAsync(TestGateway gateway)
    {
        var document = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var routes = new List<(HttpMethod, string, string, string)>();
        foreach (var (template, operations) in document["paths"]!.AsObject())
        {
            var path = template
                .Replace("{datasetId}", HospitalDataset, StringComparison.Ordinal)
                .Replace("{recipientId}", HospitalRecipient, StringComparison.Ordinal)
                .Replace("{tokenId}", "tok_unknown", StringComparison.Ordinal)
                .Replace("{clientId}", "cid_unknown", StringComparison.Ordinal)
                .Replace("{decisionId}", "dec_unknown", StringComparison.Ordinal)
                .Replace("{code}", "GW6001", StringComparison.Ordinal)
                .Replace("{agreementId}", Hospital, StringComparison.Ordinal)
                .Replace("{version}", "1", StringComparison.Ordinal)
                .Replace("{incidentId}", "inc_unknown", StringComparison.Ordinal)
                .Replace("{tableId}", "my-table", StringComparison.Ordinal)
                .Replace("{reportId}", "rep_unknown", StringComparison.Ordinal)
                .Replace("{modelId}", "model-unknown@1", StringComparison.Ordinal)
                .Replace("{commitment}", new string('0', 64), StringComparison.Ordinal)
                .Replace("{envelope}", new string('0', 64), StringComparison.Ordinal)
                .Replace("{path}", "0/000", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            routes.AddRange(operations!.AsObject().Select(operation => (
                HttpMethod.Parse(operation.Key),
                path,
                $"{operation.Key.ToUpperInvariant()} {template}",
                operation.Value!["requestBody"]?["content"]?.AsObject().First().Key ?? "application/json")));
        }

        return routes;
    }
}
