using System.Net;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Gateway.Transparency;
using Concordat.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Tests;

/// <summary>
/// The app as a whole (its logging, its start-up, its answer to an unexpected error): no one folder's code, so in the
/// project's root.
/// </summary>
public sealed class GatewayAppTests
{
    private static readonly string[] s_quietCategories = ["Microsoft.AspNetCore.", "Microsoft.Hosting.Lifetime"];

    [Fact]
    public async Task Build_DefaultLogging_KeepsConcordatInformationAndQuietsTheFrameworks()
    {
        await using var gateway = await TestGateway.StartAsync(captureAllLogs: false);

        await gateway.InstallSampleAsync("hospital-research");
        await gateway.Anonymous.GetStringAsync("/v1/log/checkpoint");

        var messages = gateway.Logs.Messages.Select(m => m.Split(' ', 3)).Where(m => m.Length == 3).ToList();
        Assert.Contains(messages, m => m[0] == "Information" && m[1].StartsWith("Concordat.Gateway.", StringComparison.Ordinal));
        var noisy = messages.Where(m => m[0] is "Trace" or "Debug" or "Information" && s_quietCategories.Any(c => m[1].StartsWith(c, StringComparison.Ordinal)));
        Assert.Empty(noisy.Select(m => string.Join(' ', m)));
    }

    [Fact]
    public async Task Start_DefaultLogging_LogsWhereItListensAndItsStartUpTime()
    {
        await using var gateway = await TestGateway.StartAsync(captureAllLogs: false);

        var started = gateway.Logs.Messages.Where(m => m.StartsWith("Information Concordat.Gateway.GatewayApp 6000 ", StringComparison.Ordinal)).ToList();

        var line = Assert.Single(started);
        Assert.Contains($"gateway listening on {gateway.BaseAddress.ToString().TrimEnd('/')} with workspace {gateway.Workspace} (SQLite store), started in ", line, StringComparison.Ordinal);
        Assert.Matches(@"started in \d+ ms", line);
    }

    [Fact]
    public async Task UnexpectedError_AnswersInternalProblemWithoutDetailsAndLogsMethodAndPath()
    {
        await using var gateway = await TestGateway.StartAsync(overrides: services => services.AddSingleton<ILogReader, FailingLogReader>());

        using var response = await gateway.Anonymous.GetAsync("/v1/log/entries?probe=1");

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("GW6022", problem["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()));
        Assert.DoesNotContain(FailingLogReader.Message, text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(InvalidOperationException), text, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(FailingLogReader), text, StringComparison.Ordinal);
        var logged = Assert.Single(gateway.Logs.Messages, m => m.StartsWith("Error Concordat.Gateway.Problems.UnexpectedErrors 6014 ", StringComparison.Ordinal));
        Assert.Contains("unexpected error on GET /v1/log/entries ", logged, StringComparison.Ordinal);
        Assert.Contains(FailingLogReader.Message, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("probe=1", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_Options_AreTheGivenInstance()
    {
        var workspace = Directory.CreateTempSubdirectory("concordat-gw-").FullName;
        var options = new GatewayOptions { Workspace = workspace, Urls = "http://127.0.0.1:0" };
        try
        {
            await using var app = GatewayApp.Build(options, _ => new SqliteStoreEngine(workspace));

            Assert.Same(options, app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public async Task Start_OptionsOutOfRange_FailsBeforeListening()
    {
        var workspace = Directory.CreateTempSubdirectory("concordat-gw-").FullName;
        var options = new GatewayOptions { Workspace = workspace, Urls = "http://127.0.0.1:0", MaxImportBodyBytes = 10 };
        try
        {
            await using var app = GatewayApp.Build(options, _ => new SqliteStoreEngine(workspace));

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains(nameof(GatewayOptions.MaxImportBodyBytes), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    /// <summary>A log reader with a bug: every read throws.</summary>
    private sealed class FailingLogReader : ILogReader
    {
        public const string Message = "log reader bug for the test";

        public Task<LogCheckpoint> ReadCheckpointAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<bool> IsCheckpointAsync(long treeSize, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<IReadOnlyList<byte[]>> ProveInclusionAsync(long index, long treeSize, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<IReadOnlyList<byte[]>> ProveConsistencyAsync(long first, long second, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);

        public Task<byte[]?> ReadTileAsync(Concordat.Tiles.TileAddress tile, CancellationToken cancellationToken) => throw new InvalidOperationException(Message);
    }
}
