using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Decisions;
using Concordat.Gateway.Decisions;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Gateway.Tests.Transparency;
using Concordat.Gateway.Transparency;
using Concordat.Log;
using Concordat.Testing.Decisions;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests;

/// <summary>
/// The gateway over real HTTP on loopback, run on each store engine: the happy path per sample agreement and every
/// negative case, each with its status, its problem code and its log entry.
/// </summary>
public abstract partial class GatewayScenarios
{
    private const string Hospital = "hospital-research";
    private const string HospitalRecipient = "northwind-research";
    private const string HospitalDataset = "cardiology-records";
    private const string AllowedSubprocessor = "cloudlab-compute";

    /// <summary>Gets a PostgreSQL connection string for a fresh database, or null for the workspace's SQLite store.</summary>
    private protected abstract Task<string?> StoreAsync();

    private protected async Task<TestGateway> StartAsync(long maxRequestBodyBytes = GatewayOptions.DefaultMaxRequestBodyBytes, Action<IServiceCollection>? overrides = null) =>
        await TestGateway.StartAsync(await StoreAsync(), overrides, maxRequestBodyBytes);

    [Theory]
    [InlineData("hospital-research", "training", "text/csv")]
    [InlineData("foundation-evaluation", "analysis", "application/x-ndjson")]
    [InlineData("redteam-engagement", "analysis", "text/csv")]
    public async Task ReadRows_SampleAgreement_StreamsRowsAndReceiptMatchesLog(string sample, string role, string accept)
    {
        await using var gateway = await StartAsync();
        var agreement = await gateway.InstallSampleAsync(sample);
        var grant = agreement.Grants.First(g => g.Actions.Contains(Concordat.Agreements.DataAction.ReadRows));
        var (clientId, secret) = await gateway.CreateIdentityAsync(grant.Recipient.Value, role);
        using var client = gateway.ClientFor(clientId, secret);
        var jurisdiction = grant.Jurisdictions.Count > 0 ? grant.Jurisdictions[0].Value : "DE";

        var tokenResponse = await TestGateway.RequestTokenAsync(client, grant.Datasets[0].Value, grant.Purposes[0].Value, jurisdiction);
        Assert.Equal(HttpStatusCode.Created, tokenResponse.StatusCode);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        using var bearer = gateway.Client("Bearer", token["token"]!.GetValue<string>());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{grant.Datasets[0]}/rows");
        request.Headers.Accept.ParseAdd(accept);
        using var rows = await bearer.SendAsync(request);
        var bytes = await rows.Content.ReadAsByteArrayAsync();

        Assert.True(rows.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        Assert.StartsWith(accept, rows.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("cdt_", token["token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(bytes.Length > 0);
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
        var receipt = (await bearer.GetFromJsonAsync<JsonObject>($"/v1/receipts/{decisionId}"))!;
        Assert.Equal(bytes.Length, receipt["bytes"]!.GetValue<long>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), receipt["sha256"]!.GetValue<string>());
        Assert.True(receipt["isComplete"]!.GetValue<bool>());
        var entries = await gateway.LogEntriesAsync();
        var egress = entries.Single(e => e["type"]!.GetValue<string>() == "gateway.egress/v1");
        Assert.Equal(receipt["sha256"]!.GetValue<string>(), egress["body"]!["sha256"]!.GetValue<string>());
        var decisionIndex = entries.FindIndex(e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["decisionId"]!.GetValue<string>() == decisionId);
        Assert.True(decisionIndex >= 0 && decisionIndex < entries.IndexOf(egress));
    }

    public static IEnumerable<object[]> DecisionCaseFiles() => DecisionCaseFile.NamesUsingOnlyFilesInForce();

    [Theory]
    [MemberData(nameof(DecisionCaseFiles))]
    public async Task Decide_CorpusFile_GivesTheLibrarysDecisionsAndReasons(string name)
    {
        var file = DecisionCaseFile.Load(name);
        await using var gateway = await StartAsync();
        foreach (var agreement in file.Agreements)
        {
            var yaml = File.ReadAllText(DecisionCaseFile.ResolvePath(agreement.File!));
            Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        }

        var differences = new List<string>();
        foreach (var decisionCase in file.Cases)
        {
            var request = decisionCase.Request;
            using var response = await gateway.Operator.PostAsJsonAsync("/v1/decisions", new
            {
                recipient = request.Recipient.Value,
                dataset = request.Dataset.Value,
                purpose = request.Purpose.Value,
                jurisdiction = request.Jurisdiction.Value,
                subprocessor = request.Subprocessor?.Value,
                action = ApiNames.Name(request.Action),
                role = request.Role is { } role ? DecisionNames.ToName(role) : null,
                at = request.Time,
            });
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{decisionCase.Name}: {body.ToJsonString()}");
            Assert.True(DecisionRecordV1.TryParse(Encoding.UTF8.GetBytes(body["record"]!.ToJsonString()), out var record, out var error), $"{decisionCase.Name}: {error?.Message}: {body.ToJsonString()}");
            Assert.Equal(DecisionNames.ToName(record.Effect), body["effect"]!.GetValue<string>());
            differences.Add(decisionCase.Difference(record) ?? string.Empty);
        }

        Assert.NotEmpty(file.Cases);
        Assert.All(differences, d => Assert.Equal(string.Empty, d));
    }

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
    public async Task Seal_Recipient_RevokesEverythingAndNextRequestsFail()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        var token = await (await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE")).Content.ReadFromJsonAsync<JsonObject>();
        using var bearer = gateway.Client("Bearer", token!["token"]!.GetValue<string>());

        using var seal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "drill" });
        var sealed_ = (await seal.Content.ReadFromJsonAsync<JsonObject>())!;
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        using var newToken = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");

        Assert.Equal(HttpStatusCode.OK, seal.StatusCode);
        Assert.Equal(1, sealed_["tokensRevoked"]!.GetValue<int>());
        Assert.Equal(1, sealed_["identitiesRevoked"]!.GetValue<int>());
        Assert.True(sealed_["enforcementMilliseconds"]!.GetValue<double>() >= 0);
        await AssertProblemAsync(rows, HttpStatusCode.Forbidden, "GW6005");
        await AssertProblemAsync(newToken, HttpStatusCode.Unauthorized, "GW6002");
        var entries = await gateway.LogEntriesAsync();
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.seal/v1");
        await AssertRefusalLoggedAsync(gateway, "GW6005");
    }

    [Fact]
    public async Task Unseal_AfterSeal_IsLoggedAndNewIdentitiesWork()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "drill" });

        using var unseal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/unseal", new { reason = "drill over" });
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var token = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");

        Assert.Equal(HttpStatusCode.OK, unseal.StatusCode);
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);
        Assert.Contains(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.unseal/v1");
    }

    [Fact]
    public async Task Seal_DuringAStream_StopsItAndLogsTheStop()
    {
        const int Rows = 20_000;
        await using var gateway = await StartAsync(overrides: SlowSockets.SmallSendBuffer);
        var agreement = await gateway.InstallSampleAsync(Hospital);
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(agreement.Datasets.Single(), Rows, "research", "DE"))).StatusCode);
        var bearer = await HospitalTokenAsync(gateway, install: false);
        using var reader = new HttpClient(SlowSockets.SmallReceiveBufferHandler()) { BaseAddress = gateway.BaseAddress };
        reader.DefaultRequestHeaders.Authorization = bearer.DefaultRequestHeaders.Authorization;
        using var response = await reader.GetAsync($"/v1/datasets/{HospitalDataset}/rows", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decisionId = response.Headers.GetValues("Concordat-Decision-Id").Single();
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new MemoryStream();
        await CopyAsync(body, received, limit: 64 * 1024);

        using var seal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "stop the stream" });
        await CopyAsync(body, received, limit: long.MaxValue);
        using var next = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        Assert.Equal(HttpStatusCode.OK, seal.StatusCode);
        Assert.True((await seal.Content.ReadFromJsonAsync<JsonObject>())!["streamsStopped"]!.GetValue<int>() >= 1);
        var lines = Encoding.UTF8.GetString(received.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.InRange(lines, 2, Rows);
        var egress = await WaitForEntryAsync(gateway, "gateway.egress/v1", decisionId);
        Assert.False(egress["body"]!["completed"]!.GetValue<bool>());
        Assert.Equal("seal", egress["body"]!["stoppedBy"]!.GetValue<string>());
        Assert.InRange(egress["body"]!["rows"]!.GetValue<long>(), 1, Rows - 1);
        await AssertProblemAsync(next, HttpStatusCode.Forbidden, "GW6005");
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
    public async Task IssueToken_SubprocessorTheGrantAllows_PermitsAndEveryDecisionOnTheTokenNamesIt()
    {
        await using var gateway = await StartAsync();
        var yaml = HospitalWithSubprocessor();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var dataset = Concordat.Agreements.AgreementReader.Read(yaml, "x.yaml").Agreement!.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", subprocessor: AllowedSubprocessor);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        using var bearer = gateway.Client("Bearer", JsonNode.Parse(body)!["token"]!.GetValue<string>());
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        var decisions = (await gateway.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.decision/v1").ToList();
        Assert.Equal(2, decisions.Count);
        Assert.All(decisions, decision =>
        {
            Assert.Equal("permit", decision["body"]!["effect"]!.GetValue<string>());
            Assert.Equal(AllowedSubprocessor, decision["body"]!["record"]!["request"]!["subprocessor"]!.GetValue<string>());
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IssueToken_SubprocessorTheAgreementDoesNotAllow_Returns403WithReasonAndLogsDeny(bool agreementNamesSubprocessors)
    {
        await using var gateway = await StartAsync();
        var yaml = agreementNamesSubprocessors ? HospitalWithSubprocessor() : File.ReadAllText(TestGateway.SamplePath(Hospital));
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", subprocessor: "shadow-compute");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        Assert.Contains("subprocessor is not permitted", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var decisionId = problem["decisionId"]!.GetValue<string>();
        var decision = (await gateway.LogEntriesAsync()).Single(e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["decisionId"]!.GetValue<string>() == decisionId);
        Assert.Equal("deny", decision["body"]!["effect"]!.GetValue<string>());
        Assert.Equal("shadow-compute", decision["body"]!["record"]!["request"]!["subprocessor"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("../cloudlab")]
    [InlineData("x' OR '1'='1")]
    [InlineData("")]
    public async Task IssueToken_SubprocessorNotAnId_Returns400AndLogsRefusal(string subprocessor)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE", subprocessor: subprocessor);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6013");
        Assert.Contains("`subprocessor`", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertRefusalLoggedAsync(gateway, "GW6013");
    }

    [Fact]
    public async Task ReadRows_LogQueueFull_Returns503WithRetryAfterAndSendsNoRows()
    {
        GatedLogStorage? gate = null;
        var seam = new LogHostSeam(new TransparencyLogOptions { QueueCapacity = 1, MaxBatchSize = 1, RetryAfterSeconds = 7 }, storage => gate = new GatedLogStorage(storage));
        await using var gateway = await StartAsync(overrides: services => services.AddSingleton(seam));
        var bearer = await HospitalTokenAsync(gateway);
        var log = gateway.Services.GetRequiredService<IGatewayLog>();
        HttpResponseMessage response;
        gate!.Close();
        var held = log.AppendAsync(Filler(gateway), CancellationToken.None);
        try
        {
            await gate.Held;
            var queued = log.AppendAsync(Filler(gateway), CancellationToken.None);

            response = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

            gate.Open();
            await Task.WhenAll(held, queued);
        }
        finally
        {
            gate.Open();
        }

        using (response)
        {
            var problem = await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "GW6011");
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
            Assert.False(response.Headers.Contains("Concordat-Decision-Id"));
            var decisionId = problem["decisionId"]!.GetValue<string>();
            var entries = await gateway.LogEntriesAsync();
            Assert.DoesNotContain(entries, e => e["body"]?["decisionId"]?.GetValue<string>() == decisionId);
            Assert.DoesNotContain(entries, e => e["type"]!.GetValue<string>() == "gateway.egress/v1");
        }
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

    [Theory]
    [InlineData("marketing", "DE")]
    [InlineData("research", "US")]
    public async Task IssueToken_PurposeOrJurisdictionNotPermitted_Returns403AndLogsDeny(string purpose, string jurisdiction)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, purpose, jurisdiction);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        Assert.StartsWith("dec_", problem["decisionId"]!.GetValue<string>(), StringComparison.Ordinal);
        var entries = await gateway.LogEntriesAsync();
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["effect"]!.GetValue<string>() == "deny");
    }

    [Fact]
    public async Task IssueToken_OutsideTheWindow_Returns403()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync("redteam-engagement");
        var (clientId, secret) = await gateway.CreateIdentityAsync("sentinel-security", "analysis");
        using var client = gateway.ClientFor(clientId, secret);
        gateway.Clock.SetUtcNow(new DateTimeOffset(2027, 8, 1, 0, 0, 0, TimeSpan.Zero));

        using var response = await TestGateway.RequestTokenAsync(client, "model-endpoint-logs", "red-teaming", "DE");

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
    }

    [Fact]
    public async Task IssueToken_AggregateQuery_DeniedBecauseThePathDoesNotExistYet()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "analysis");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "evaluation", "DE", "aggregateQuery");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        Assert.Equal("the gateway does not serve the action yet", problem["detail"]!.GetValue<string>());
        var record = await LoggedDecisionRecordAsync(gateway, problem["decisionId"]!.GetValue<string>());
        Assert.Equal(Effect.Deny, record.Effect);
        Assert.Equal([ReasonCode.ActionNotAvailable], record.Reasons.Select(r => r.Code));
        Assert.Empty(record.Agreements);
    }

    [Theory]
    [InlineData("deployment")]
    [InlineData("ingestion")]
    public async Task IssueToken_RoleDoesNotAllowReadRows_Returns403WithTheRoleInTheRecord(string role)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, role);
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6006");
        Assert.Equal("the identity's role does not allow the action", problem["detail"]!.GetValue<string>());
        var record = await LoggedDecisionRecordAsync(gateway, problem["decisionId"]!.GetValue<string>());
        Assert.Equal(role, DecisionNames.ToName(record.Request.Role!.Value));
        Assert.Equal([ReasonCode.RoleNotPermitted], record.Reasons.Select(r => r.Code));
    }

    [Fact]
    public async Task UploadAgreement_SignatureNoLongerMatches_Returns422AndLogsRejection()
    {
        await using var gateway = await StartAsync();
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));
        var signatures = gateway.Sign(yaml);
        var changed = yaml.Replace("requests: 600", "requests: 60000", StringComparison.Ordinal);

        using var response = await gateway.UploadAsync(changed, signatures);

        await AssertProblemAsync(response, (HttpStatusCode)422, "GW6015");
        var entries = await gateway.LogEntriesAsync();
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.agreement/v1" && e["body"]!["state"]!.GetValue<string>() == "rejected");
        var (clientIdResponse, _) = (await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/identities", new { role = "training" }), 0);
        Assert.Equal(HttpStatusCode.NotFound, clientIdResponse.StatusCode);
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
    public async Task IssueToken_OversizeBody_Returns413ProblemAndLogsRefusal()
    {
        await using var gateway = await StartAsync(maxRequestBodyBytes: 16 * 1024);
        await gateway.InstallSampleAsync(Hospital);
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await client.PostAsync("/v1/tokens", new StringContent("{\"dataset\":\"" + new string('a', 40_000) + "\"}", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "GW6012");
        await AssertRefusalLoggedAsync(gateway, "GW6012");
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemAndLeavesNoEntry()
    {
        await using var gateway = await StartAsync();
        var before = (await gateway.LogEntriesAsync()).Count;

        using var response = await gateway.Anonymous.GetAsync("/v1/no-such-thing");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "GW6014");
        Assert.Equal(before, (await gateway.LogEntriesAsync()).Count);
    }

    [Fact]
    public async Task ImportVersion_RaggedRows_Returns422WithRowAndColumnAndLogsRefusal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var response = await gateway.ImportAsync(HospitalDataset, "patient_id,name\r\nonly-one\r\n");

        var problem = await AssertProblemAsync(response, (HttpStatusCode)422, "GW6016");
        Assert.NotEmpty(problem["diagnostics"]!.AsArray());
        await AssertRefusalLoggedAsync(gateway, "GW6016");
    }

    [Theory]
    [InlineData("/v1/datasets/..%2F..%2Fetc%2Fpasswd/rows")]
    [InlineData("/v1/datasets/x'%20OR%20'1'='1/rows")]
    [InlineData("/v1/datasets/a;DROP%20TABLE%20registry_tokens;--/rows")]
    public async Task ReadRows_HostileDatasetId_Returns400AndLogsRefusal(string path)
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);

        using var response = await bearer.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6018");
        await AssertRefusalLoggedAsync(gateway, "GW6018");
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
    public async Task ReadRows_SameRecipientTwice_PseudonymsAgree()
    {
        await using var gateway = await StartAsync();
        var first = await HospitalTokenAsync(gateway);
        var second = await HospitalTokenAsync(gateway, install: false);

        var a = await ReadFirstColumnAsync(first);
        var b = await ReadFirstColumnAsync(second);

        Assert.Equal(a, b);
        Assert.DoesNotContain(a, value => value.Length == 8 && value.StartsWith("P-", StringComparison.Ordinal) && value[2..].All(char.IsAsciiDigit));
    }

    [Fact]
    public async Task ReadRows_TwoRecipients_PseudonymsDiffer()
    {
        await using var gateway = await StartAsync();
        var yaml = TwoRecipientHospital();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var agreement = Concordat.Agreements.AgreementReader.Read(yaml, "x.yaml").Agreement!;
        var dataset = agreement.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);

        var northwind = await ReadFirstColumnAsync(await TokenAsync(gateway, HospitalRecipient));
        var southwind = await ReadFirstColumnAsync(await TokenAsync(gateway, "southwind-labs"));

        Assert.Equal(northwind.Count, southwind.Count);
        Assert.Empty(northwind.Intersect(southwind));
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

    [Fact]
    public async Task LogApi_Checkpoint_IsSignedAndProvesInclusionOfOwnEntries()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);

        var note = await gateway.Anonymous.GetStringAsync("/v1/log/checkpoint");
        var own = (await bearer.GetFromJsonAsync<JsonObject>("/v1/log/mine"))!;

        var publicKey = File.ReadAllText(Path.Combine(gateway.Workspace, GatewayWorkspace.LogPublicKeyFileName)).Trim();
        Assert.True(Concordat.Crypto.NoteKey.TryParseVerifierKey(publicKey, out var verifierKey, out _));
        var opened = Concordat.Notes.SignedNote.Open(Encoding.UTF8.GetBytes(note), [Concordat.Notes.NoteVerifier.ForEd25519(verifierKey)]);
        Assert.True(opened.IsVerified);
        Assert.True(Concordat.Notes.Checkpoint.TryParse(opened.Note!.Text, out var checkpoint, out _));
        var entries = own["entries"]!.AsArray();
        Assert.NotEmpty(entries);
        foreach (var entry in entries)
        {
            var leaf = Concordat.Merkle.MerkleHash.FromBytes(Convert.FromBase64String(entry!["leafHash"]!.GetValue<string>()));
            var proof = entry["inclusionProof"]!.AsArray().Select(h => Concordat.Merkle.MerkleHash.FromBytes(Convert.FromBase64String(h!.GetValue<string>()))).ToList();
            var result = Concordat.Merkle.MerkleProofVerifier.VerifyInclusion(leaf, entry["index"]!.GetValue<long>(), own["treeSize"]!.GetValue<long>(), proof, checkpoint.RootHash);
            Assert.True(result.IsValid, result.ToString());
        }
    }

    private static async Task<HttpClient> HospitalTokenAsync(TestGateway gateway, bool install = true) => (await HospitalTokenWithIdAsync(gateway, install)).Bearer;

    private static async Task<(HttpClient Bearer, string TokenId)> HospitalTokenWithIdAsync(TestGateway gateway, bool install = true)
    {
        if (install)
        {
            await gateway.InstallSampleAsync(Hospital);
        }

        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (gateway.Client("Bearer", token["token"]!.GetValue<string>()), token["tokenId"]!.GetValue<string>());
    }

    private static async Task<HttpClient> TokenAsync(TestGateway gateway, string recipient)
    {
        var (clientId, secret) = await gateway.CreateIdentityAsync(recipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return gateway.Client("Bearer", (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
    }

    private static async Task<List<string>> ReadFirstColumnAsync(HttpClient bearer)
    {
        var csv = await bearer.GetStringAsync($"/v1/datasets/{HospitalDataset}/rows");
        return csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]).ToList();
    }

    /// <summary>The hospital sample with a subprocessor party that the research grant allows.</summary>
    private static string HospitalWithSubprocessor()
    {
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));
        yaml = yaml.Replace("\napprovers:", $$"""
              - id: {{AllowedSubprocessor}}
                legalName: Cloudlab Compute GmbH
                jurisdiction: DE
                roles: [subprocessor]

            approvers:
            """, StringComparison.Ordinal);
        return yaml.Replace("    jurisdictions: [DE, NL]\n    rateLimit:", $"    jurisdictions: [DE, NL]\n    subprocessors: [{AllowedSubprocessor}]\n    rateLimit:", StringComparison.Ordinal);
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

    /// <summary>The hospital sample with a second recipient, southwind-labs; <paramref name="rateLimit"/>, when given, replaces both recipients' rate limits.</summary>
    private static string TwoRecipientHospital(string? rateLimit = null)
    {
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));
        yaml = yaml.Replace("\napprovers:", """
              - id: southwind-labs
                legalName: Southwind Labs GmbH
                jurisdiction: DE
                roles: [recipient, gdpr-processor]

            approvers:
            """.Replace("\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        yaml = yaml.Replace("\nprohibitions:", """
              - id: southwind-rows
                recipient: southwind-labs
                datasets: [cardiology-records]
                purposes: [research]
                actions: [read-rows]
                fieldRules:
                  - { field: patient_id, rule: pseudonymise }
                  - { field: name, rule: drop }
                jurisdictions: [DE]
                rateLimit: { requests: 600, period: PT1M }

            prohibitions:
            """, StringComparison.Ordinal);
        return rateLimit is null ? yaml : yaml.Replace("{ requests: 600, period: PT1M }", rateLimit, StringComparison.Ordinal);
    }

    private static RefusalEntry Filler(TestGateway gateway) => new(gateway.Clock.GetUtcNow(), "GW6011", 503, "test: fills the log's queue", null, null, null, null);

    /// <summary>Copies until <paramref name="limit"/> bytes are copied, the body ends or the server breaks the connection off.</summary>
    private static async Task CopyAsync(Stream body, MemoryStream destination, long limit)
    {
        var buffer = new byte[8192];
        try
        {
            var copied = 0L;
            int read;
            while (copied < limit && (read = await body.ReadAsync(buffer)) > 0)
            {
                destination.Write(buffer, 0, read);
                copied += read;
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // Expected once the seal stops the stream: the server aborts the connection.
        }
    }

    /// <summary>Polls the log until the entry of <paramref name="type"/> about <paramref name="decisionId"/> is there (it is written as the stream ends).</summary>
    private static async Task<JsonObject> WaitForEntryAsync(TestGateway gateway, string type, string decisionId)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var entry = (await gateway.LogEntriesAsync()).FirstOrDefault(e => e["type"]!.GetValue<string>() == type && e["body"]!["decisionId"]?.GetValue<string>() == decisionId);
            if (entry is not null)
            {
                return entry;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"no `{type}` entry for decision `{decisionId}` in the log");
    }

    private static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        var requested = response.RequestMessage!.RequestUri!;
        Assert.Equal($"{requested.Scheme}://{requested.Authority}/errors/{code}", problem["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()));
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }

        return problem;
    }

    private static async Task AssertRefusalLoggedAsync(TestGateway gateway, string code)
    {
        var entries = await gateway.LogEntriesAsync();
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.refusal/v1" && e["body"]!["code"]!.GetValue<string>() == code);
    }

    /// <summary>Reads the decision record the decision entry named <paramref name="decisionId"/> holds: the library's record shape, nothing wrapped around it.</summary>
    private static async Task<DecisionRecordV1> LoggedDecisionRecordAsync(TestGateway gateway, string decisionId)
    {
        var entries = await gateway.LogEntriesAsync();
        var entry = Assert.Single(entries, e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["decisionId"]!.GetValue<string>() == decisionId);
        var json = entry["body"]!["record"]!.ToJsonString();
        Assert.True(DecisionRecordV1.TryParse(Encoding.UTF8.GetBytes(json), out var record, out var error), error?.Message);
        return record;
    }
}
