using System.Net;
using System.Text.Json.Nodes;
using Concordat.Crypto;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Gateway.Witness;
using Concordat.Notes;
using Concordat.Testing.Log;
using Concordat.Testing.Witness;
using Concordat.Witness;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Witness;

/// <summary>
/// A gateway whose workspace configures two witnesses (<c>witnesses.json</c>), each a real tlog-witness service on
/// loopback: checkpoints are submitted, cosigned and served as the policy asks, and wait while too few witnesses answer.
/// </summary>
public sealed class WitnessScenarios : IAsyncLifetime
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-gw-witnessed-").FullName;
    private readonly List<WebApplication> _witnesses = [];
    private readonly NoteVerifierKey _logKey;

    public WitnessScenarios()
    {
        GatewayWorkspace.OpenOrCreate(_workspace);
        var text = File.ReadAllText(Path.Combine(_workspace, GatewayWorkspace.LogPublicKeyFileName)).Trim();
        Assert.True(NoteKey.TryParseVerifierKey(text, out var key, out _));
        _logKey = key;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var witness in _witnesses)
        {
            await witness.DisposeAsync();
        }

        Directory.Delete(_workspace, recursive: true);
    }

    [Fact]
    public async Task Checkpoint_TwoWitnessesUp_IsServedWithBothCosignaturesAsItGrows()
    {
        var (first, firstKey) = await StartWitnessAsync("witness.example/a", 31);
        var (second, secondKey) = await StartWitnessAsync("witness.example/b", 32);
        WriteSettings(2, (first, firstKey), (second, secondKey));
        await using var gateway = await TestGateway.StartAsync(workspace: _workspace);
        await AppendAsync(gateway, 5);

        var small = await WaitForCheckpointAsync(gateway, [firstKey, secondKey], size => size >= 5);
        await AppendAsync(gateway, 40);
        var large = await WaitForCheckpointAsync(gateway, [firstKey, secondKey], size => size >= small.TreeSize + 40);

        Assert.Equal(2, large.Cosignatures);
        Assert.True(large.TreeSize > small.TreeSize);
    }

    [Fact]
    public async Task Checkpoint_OneOfTwoDownAndBothRequired_WaitsThenIsPublishedWhenItAnswers()
    {
        var (first, firstKey) = await StartWitnessAsync("witness.example/a", 31);
        var (downUrl, secondKey, startSecond) = await ReserveWitnessAsync("witness.example/b", 32);
        WriteSettings(2, (first, firstKey), (downUrl, secondKey));
        await using var gateway = await TestGateway.StartAsync(workspace: _workspace);
        await AppendAsync(gateway, 3);
        await Eventually.HoldsAsync(() => gateway.Logs.Messages.Any(m => m.Contains("witness.example/b cannot be reached", StringComparison.Ordinal)), "the gateway reports the witness that is down");

        using var waiting = await gateway.Anonymous.GetAsync("/tlog/checkpoint");
        await startSecond();
        var published = await WaitForCheckpointAsync(gateway, [firstKey, secondKey], size => size >= 3);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.Contains("GW6716", await waiting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(waiting.Headers.RetryAfter);
        Assert.Equal(2, published.Cosignatures);
    }

    [Fact]
    public async Task Checkpoint_OneOfTwoDownAndOneRequired_IsPublishedWithOneCosignature()
    {
        var (first, firstKey) = await StartWitnessAsync("witness.example/a", 31);
        var (downUrl, secondKey, _) = await ReserveWitnessAsync("witness.example/b", 32);
        WriteSettings(1, (first, firstKey), (downUrl, secondKey));
        await using var gateway = await TestGateway.StartAsync(workspace: _workspace);
        await AppendAsync(gateway, 3);

        var published = await WaitForCheckpointAsync(gateway, [firstKey, secondKey], size => size >= 3);

        Assert.Equal(1, published.Cosignatures);
    }

    [Fact]
    public async Task Build_WitnessSettingsMalformed_StopsTheGatewayAtStart()
    {
        await File.WriteAllTextAsync(Path.Combine(_workspace, WitnessSettings.FileName), """{"witnesses":[{"url":"ftp://x","key":"k"}]}""");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TestGateway.StartAsync(workspace: _workspace));

        Assert.Contains("witnesses.json", error.Message, StringComparison.Ordinal);
    }

    private static async Task AppendAsync(TestGateway gateway, int count)
    {
        var log = gateway.Services.GetRequiredService<IGatewayLog>();
        foreach (var i in Enumerable.Range(0, count))
        {
            Assert.False((await log.AppendAsync(new UnsealEntry(gateway.Clock.GetUtcNow(), "northwind-research", $"test {i}"), default)).IsPushback);
        }
    }

    private async Task<(long TreeSize, int Cosignatures)> WaitForCheckpointAsync(TestGateway gateway, string[] witnessKeys, Func<long, bool> sizeReached)
    {
        var verifiers = witnessKeys.Select(k => CosignatureV1.TryParseVerifierKey(k, out var v, out _) ? v : throw new InvalidOperationException(k)).ToList();
        (long, int) result = default;
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await gateway.Anonymous.GetAsync("/tlog/checkpoint");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            var note = await response.Content.ReadAsByteArrayAsync();
            Assert.True(Checkpoint.TryOpen(note, [NoteVerifier.ForEd25519(_logKey), .. verifiers], out var checkpoint, out var opened), opened.Reason);
            result = (checkpoint.TreeSize, opened.VerifiedSignatures.Count - 1);
            return sizeReached(checkpoint.TreeSize);
        }, "the gateway serves a cosigned checkpoint of the size asked");
        return result;
    }

    private void WriteSettings(int cosignatures, params (string Url, string Key)[] witnesses)
    {
        var json = new JsonObject
        {
            ["cosignatures"] = cosignatures,
            ["intervalMilliseconds"] = 50,
            ["witnesses"] = new JsonArray([.. witnesses.Select(w => (JsonNode)new JsonObject { ["url"] = w.Url, ["key"] = w.Key })]),
        };
        File.WriteAllText(Path.Combine(_workspace, WitnessSettings.FileName), json.ToJsonString());
    }

    private async Task<(string Url, string Key)> StartWitnessAsync(string name, byte seed, string urls = "http://127.0.0.1:0")
    {
        var witness = new LogWitness(LogTestData.CreateKey(name, seed), [_logKey], new MemoryWitnessStateStore(), TimeProvider.System);
        var app = WitnessApp.Build(urls, witness);
        await app.StartAsync();
        _witnesses.Add(app);
        return (app.Urls.First(), witness.VerifierKey);
    }

    // A witness that is down: its port is taken by a witness that is stopped at once, and started again on call.
    private async Task<(string Url, string Key, Func<Task> Start)> ReserveWitnessAsync(string name, byte seed)
    {
        var (url, key) = await StartWitnessAsync(name, seed);
        var reserved = _witnesses[^1];
        _witnesses.RemoveAt(_witnesses.Count - 1);
        await reserved.DisposeAsync();
        return (url, key, () => StartWitnessAsync(name, seed, url));
    }
}
