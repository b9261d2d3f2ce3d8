using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Recipients;

/// <summary>Seals, identities and the access review: what a seal refuses and records, which identities may exist, who can do what.</summary>
public abstract class RecipientsScenarios : GatewayScenarios
{
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
        var entries = await gateway.LogEntriesAsync();
        Assert.True(
            entries.FindIndex(e => e["type"]!.GetValue<string>() == "gateway.seal/v1") < entries.FindIndex(e => e["type"]!.GetValue<string>() == "gateway.egress/v1"),
            "the seal is logged before the egress it stopped");
        Assert.False(egress["body"]!["completed"]!.GetValue<bool>());
        Assert.Equal("seal", egress["body"]!["stoppedBy"]!.GetValue<string>());
        Assert.InRange(egress["body"]!["rows"]!.GetValue<long>(), 1, Rows - 1);
        await AssertProblemAsync(next, HttpStatusCode.Forbidden, "GW6005");
    }

    [Fact]
    public async Task ReviewAccess_RoleExcludesAGrantAndAnAmendmentInvalidatedAToken_SaysSo()
    {
        await using var gateway = await StartAsync();
        await HospitalTokenAsync(gateway);
        var amended = HospitalVersion(2);
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(amended, gateway.Sign(amended))).StatusCode);

        var review = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/access-review"))!;

        var identity = Assert.Single(review["identities"]!.AsArray())!;
        Assert.Empty(identity["liveTokens"]!.AsArray());
        var grants = identity["grants"]!.AsArray().ToDictionary(g => g!["clause"]!.GetValue<string>(), g => g!);
        Assert.Equal("in-force", grants["research-rows"]["status"]!.GetValue<string>());
        Assert.Equal("role-excludes", grants["cohort-statistics"]["status"]!.GetValue<string>());
        Assert.Equal(["aggregate-query"], grants["cohort-statistics"]["grantActions"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task RevokeIdentity_LiveIdentityWithToken_RevokesBothListsItAndLogsOnce()
    {
        await using var gateway = await StartAsync();
        var (bearer, _) = await HospitalTokenWithIdAsync(gateway);
        var clientId = (await ListIdentitiesAsync(gateway)).Single()!["clientId"]!.GetValue<string>();

        using var revoked = await gateway.Operator.DeleteAsync($"/v1/recipients/{HospitalRecipient}/identities/{clientId}");
        using var again = await gateway.Operator.DeleteAsync($"/v1/recipients/{HospitalRecipient}/identities/{clientId}");
        using var otherRecipient = await gateway.Operator.DeleteAsync($"/v1/recipients/st-aurelia/identities/{clientId}");
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(1, (await revoked.Content.ReadFromJsonAsync<JsonObject>())!["tokensRevoked"]!.GetValue<int>());
        Assert.Equal(0, (await again.Content.ReadFromJsonAsync<JsonObject>())!["tokensRevoked"]!.GetValue<int>());
        await AssertProblemAsync(otherRecipient, HttpStatusCode.NotFound, "GW6014");
        await AssertProblemAsync(rows, HttpStatusCode.Unauthorized, "GW6004");
        Assert.NotNull((await ListIdentitiesAsync(gateway)).Single()!["revokedAt"]);
        var entry = Assert.Single(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.identity-revoked/v1");
        Assert.Equal(clientId, entry["body"]!["clientId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Seal_UnknownRecipient_Returns404AndLogsNoSeal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var seal = await gateway.Operator.PostAsJsonAsync("/v1/recipients/northwind-reserch/seal", new { reason = "typo" });

        await AssertProblemAsync(seal, HttpStatusCode.NotFound, "GW6014");
        var entries = await gateway.LogEntriesAsync();
        Assert.DoesNotContain(entries, e => e["type"]!.GetValue<string>() == "gateway.seal/v1");
        await AssertRefusalLoggedAsync(gateway, "GW6014");
    }

    [Fact]
    public async Task Seal_Twice_EachActLogsItsOwnReasonAndCounts()
    {
        await using var gateway = await StartAsync();
        await HospitalTokenAsync(gateway);

        using var first = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "incident 1" });
        using var second = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "incident 1, again" });

        var answer = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(answer["wasSealed"]!.GetValue<bool>());
        Assert.Equal("incident 1, again", answer["reason"]!.GetValue<string>());
        var seals = (await gateway.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.seal/v1").Select(e => e["body"]!).ToList();
        Assert.Equal(["incident 1", "incident 1, again"], seals.Select(s => s["reason"]!.GetValue<string>()));
        Assert.Equal([1, 0], seals.Select(s => s["tokensRevoked"]!.GetValue<int>()));
        Assert.Equal([1, 0], seals.Select(s => s["identitiesRevoked"]!.GetValue<int>()));
    }

    [Fact]
    public async Task CreateIdentity_RecipientSealed_Returns409AndNoIdentityOutlivesTheSeal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var seal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/seal", new { reason = "drill" });

        using var create = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/identities", new { role = "training" });
        using var unseal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/unseal", new { reason = "drill over" });
        using var review = await gateway.Operator.GetAsync("/v1/access-review");

        await AssertProblemAsync(create, HttpStatusCode.Conflict, "GW6040");
        await AssertRefusalLoggedAsync(gateway, "GW6040");
        Assert.Empty((await review.Content.ReadFromJsonAsync<JsonObject>())!["identities"]!.AsArray());
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.identity-created/v1");
    }

    [Fact]
    public async Task CreateIdentity_ProviderParty_Returns422AndLogsRefusal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var create = await gateway.Operator.PostAsJsonAsync("/v1/recipients/st-aurelia/identities", new { role = "training" });

        await AssertProblemAsync(create, HttpStatusCode.UnprocessableEntity, "GW6041");
        await AssertRefusalLoggedAsync(gateway, "GW6041");
    }

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

    private static async Task<JsonArray> ListIdentitiesAsync(TestGateway gateway)
    {
        using var response = await gateway.Operator.GetAsync($"/v1/recipients/{HospitalRecipient}/identities");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }
}
