using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Gateway.Tests.Transparency;
using Concordat.Gateway.Transparency;
using Concordat.Log;
using Concordat.Merkle;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Journal;

/// <summary>The gateway's log entries as written: the pushback when the log cannot take them, and the one form of every instant.</summary>
public abstract class JournalScenarios : GatewayScenarios
{
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
    public async Task ReadRows_LogRightEdgeDamaged_Returns503AndSaysSoOnTheConsoleNotInTheLog()
    {
        GatedLogStorage? gate = null;
        var seam = new LogHostSeam(new TransparencyLogOptions(), storage => gate = new GatedLogStorage(storage));
        await using var gateway = await StartAsync(overrides: services => services.AddSingleton(seam));
        var bearer = await HospitalTokenAsync(gateway);
        var logged = (await gateway.LogEntriesAsync()).Count;

        gate!.Damage(CompactMerkleTree.GetFrontierIds(await gate.ReadTreeSizeAsync(default))[^1]);
        using var response = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "GW6024");
        Assert.Equal(logged, (await gateway.LogEntriesAsync()).Count);
        Assert.Contains(gateway.Logs.Messages, m => m.StartsWith("Critical Concordat.Gateway.Problems.UnexpectedErrors 6020 transparency log refuses to grow: LOG4113: ", StringComparison.Ordinal));
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

    private static RefusalEntry Filler(TestGateway gateway) => new(gateway.Clock.GetUtcNow(), "GW6011", 503, "test: fills the log's queue", null, null, null, null);
}
