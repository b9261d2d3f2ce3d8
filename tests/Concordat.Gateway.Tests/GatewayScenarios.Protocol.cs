using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;

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
}
