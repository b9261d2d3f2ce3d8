using System.Text.Json.Nodes;
using Concordat.Cli.Commands;
using Concordat.Storage.Sqlite;

namespace Concordat.Cli.Tests.Commands;

/// <summary>
/// Quickstart on a real gateway (in process, loopback, port 0), run twice on one workspace from a folder with no
/// samples; the operator verbs run against it while it serves.
/// </summary>
public sealed class QuickstartCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-quickstart-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    [Fact]
    public async Task Run_Twice_ReusesIdentityAndDatasetAndServesTheOperatorVerbs()
    {
        var first = await RunAsync(async () =>
        {
            var identities = await CliRunner.RunAsync("identity", "list", "northwind-research", "--workspace", _workspace);
            var created = await CliRunner.RunAsync("identity", "create", "northwind-research", "--role", "analysis", "--workspace", _workspace);
            var clientId = created.Out.Split(' ')[1];
            var revoked = await CliRunner.RunAsync("identity", "revoke", "northwind-research", clientId, "--workspace", _workspace);
            var unknownToken = await CliRunner.RunAsync("token", "revoke", "tok_unknown", "--workspace", _workspace);
            var agreements = await CliRunner.RunAsync("agreement", "list", "--workspace", _workspace, "--json");
            var trusted = await CliRunner.RunAsync("trust", "list", "--workspace", _workspace);
            var review = await CliRunner.RunAsync("access", "review", "--workspace", _workspace);

            Assert.Equal(ExitCodes.Ok, identities.ExitCode);
            Assert.StartsWith("client id", identities.Out, StringComparison.Ordinal);
            Assert.Contains(" training ", identities.Out, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Ok, created.ExitCode);
            Assert.Contains("cds_", created.Out, StringComparison.Ordinal);
            Assert.Equal($"revoked identity {clientId} of `northwind-research` and 0 token(s) issued to it", revoked.Out.Trim());
            Assert.Equal(ExitCodes.Error, unknownToken.ExitCode);
            Assert.StartsWith("error GW6014", unknownToken.Error, StringComparison.Ordinal);
            Assert.Equal("active", JsonNode.Parse(agreements.Out)![0]!["state"]!.GetValue<string>());
            Assert.Equal(4, trusted.Out.Trim().Split('\n').Length);
            Assert.Equal(ExitCodes.Ok, review.ExitCode);
            var reviewLines = review.Out.Split('\n');
            Assert.StartsWith("identity", reviewLines[1], StringComparison.Ordinal);
            Assert.Contains(reviewLines, l => l.StartsWith("northwind-research / cid_", StringComparison.Ordinal) && l.Contains("can read-rows", StringComparison.Ordinal));
        });
        var second = await RunAsync(() => Task.CompletedTask);

        Assert.Contains("[4/5] importing 1000 synthetic rows into `cardiology-records`", first, StringComparison.Ordinal);
        Assert.Contains("[4/5] dataset `cardiology-records` already imported: version 1, 1000 row(s)", second, StringComparison.Ordinal);
        Assert.Contains("[5/5] recipient `northwind-research` identity ", second, StringComparison.Ordinal);
        Assert.Contains("a denied request (", second, StringComparison.Ordinal);
        await using var engine = new SqliteStoreEngine(_workspace);
        var identities = await engine.Registry.ListIdentitiesAsync(CancellationToken.None);
        Assert.Equal(1, identities.Count(i => i.RevokedAt is null));
        Assert.Equal(3, (await File.ReadAllLinesAsync(Path.Combine(_workspace, "trusted-keys"))).Length);
    }

    [Fact]
    public async Task Run_UnknownSample_ExitsErrorListingTheSamples()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = await QuickstartCommand.RunAsync(new CliContext(stdout, stderr, jsonErrors: false, verbose: false), _workspace, "http://127.0.0.1:0", "nope", null, CancellationToken.None);

        Assert.Equal(ExitCodes.Error, exitCode);
        Assert.Equal("error CLI1410: no sample agreement `nope`\n  help: the samples are: foundation-evaluation, hospital-research, redteam-engagement\n", stderr.ToString().ReplaceLineEndings("\n"));
    }

    private Task<string> RunAsync(Func<Task> whileServing) => QuickstartGateway.RunAsync(_workspace, whileServing);
}
