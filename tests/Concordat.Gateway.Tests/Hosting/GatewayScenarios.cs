using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Hosting;

/// <summary>
/// The gateway over real HTTP on loopback, run on each store engine: what every scenario class shares (the store it
/// runs on, the gateway it starts, the sample agreement it uses and the assertions on problems and log entries). Each
/// folder's scenarios derive from it, and a <c>Sqlite…</c> and a <c>Postgres…</c> subclass run them on each engine.
/// </summary>
public abstract class GatewayScenarios
{
    private protected const string Hospital = "hospital-research";
    private protected const string HospitalRecipient = "northwind-research";
    private protected const string HospitalDataset = "cardiology-records";
    private protected const string AllowedSubprocessor = "cloudlab-compute";

    /// <summary>Gets a PostgreSQL connection string for a fresh database, or null for the workspace's SQLite store.</summary>
    private protected abstract Task<string?> StoreAsync();

    private protected async Task<TestGateway> StartAsync(long maxRequestBodyBytes = GatewayOptions.DefaultMaxRequestBodyBytes, Action<IServiceCollection>? overrides = null) =>
        await TestGateway.StartAsync(await StoreAsync(), overrides, maxRequestBodyBytes);

    private protected static async Task<HttpClient> HospitalTokenAsync(TestGateway gateway, bool install = true) => (await HospitalTokenWithIdAsync(gateway, install)).Bearer;

    private protected static async Task<(HttpClient Bearer, string TokenId)> HospitalTokenWithIdAsync(TestGateway gateway, bool install = true)
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

    /// <summary>A bearer of a token of <paramref name="recipient"/> (a new training identity) for the hospital's dataset, for research in DE.</summary>
    private protected static async Task<HttpClient> TokenAsync(TestGateway gateway, string recipient)
    {
        var (clientId, secret) = await gateway.CreateIdentityAsync(recipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return gateway.Client("Bearer", (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
    }

    /// <summary>The hospital sample with a second recipient, southwind-labs; <paramref name="rateLimit"/>, when given, replaces both recipients' rate limits.</summary>
    internal static string TwoRecipientHospital(string? rateLimit = null)
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

    /// <summary>Polls the log until the entry of <paramref name="type"/> about <paramref name="decisionId"/> is there (it is written as the stream ends).</summary>
    private protected static async Task<JsonObject> WaitForEntryAsync(TestGateway gateway, string type, string decisionId)
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

    private protected static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
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

    private protected static async Task AssertRefusalLoggedAsync(TestGateway gateway, string code)
    {
        var entries = await gateway.LogEntriesAsync();
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.refusal/v1" && e["body"]!["code"]!.GetValue<string>() == code);
    }

    private protected static string HospitalVersion(int version) =>
        File.ReadAllText(TestGateway.SamplePath(Hospital)).Replace("\nversion: 1\n", $"\nversion: {version}\n", StringComparison.Ordinal);
}
