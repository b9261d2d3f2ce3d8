using System.Text.Json.Nodes;

namespace Concordat.Cli.Tests.Commands;

public sealed class BudgetCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("concordat-cli-budget-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Workspace => Path.Combine(_root, "ws");

    private string Export => Path.Combine(_root, "log.export.ndjson");

    private string LogKey => Path.Combine(Workspace, "log.pub");

    [Fact]
    public async Task Recompute_VerifiedExport_TotalsEachBudgetsQueriesAndRhoFromTheReleases()
    {
        await CreateExportAsync();

        var recompute = await CliRunner.RunAsync("budget", "recompute", "--bundle", Export, "--log-key", LogKey, "--json");

        Assert.Equal(0, recompute.ExitCode);
        var budgets = JsonNode.Parse(recompute.Out)!["budgets"]!.AsArray();
        Assert.Equal(2, budgets.Count);
        Assert.Equal(("lab", "g1", 3, "3/1000"), (budgets[0]!["recipient"]!.GetValue<string>(), budgets[0]!["grant"]!.GetValue<string>(), budgets[0]!["queries"]!.GetValue<int>(), budgets[0]!["rhoSpent"]!.GetValue<string>()));
        Assert.Equal(("other", "g2", 1, "1/50"), (budgets[1]!["recipient"]!.GetValue<string>(), budgets[1]!["grant"]!.GetValue<string>(), budgets[1]!["queries"]!.GetValue<int>(), budgets[1]!["rhoSpent"]!.GetValue<string>()));
        Assert.Equal("1/1000000", budgets[0]!["deltaSpent"]!.GetValue<string>());
        Assert.Null(budgets[1]!["deltaSpent"]);
    }

    [Fact]
    public async Task Recompute_ChangedExport_FailsVerificationWithExit4()
    {
        await CreateExportAsync();
        var lines = (await File.ReadAllTextAsync(Export)).Split('\n');
        var at = Array.FindIndex(lines, l => l.Contains("\"index\":1,", StringComparison.Ordinal));
        var line = JsonNode.Parse(lines[at])!;
        var entry = line["entry"]!.GetValue<string>();
        line["entry"] = string.Concat(entry.AsSpan(0, 8), entry[8] == 'A' ? "B" : "A", entry.AsSpan(9));
        lines[at] = line.ToJsonString();
        await File.WriteAllTextAsync(Export, string.Join('\n', lines));

        var recompute = await CliRunner.RunAsync("budget", "recompute", "--bundle", Export, "--log-key", LogKey);

        Assert.NotEqual(0, recompute.ExitCode);
        Assert.Contains("LOG41", recompute.Error, StringComparison.Ordinal);
    }

    // Three queries of lab (ρ 1/1000 each, the first with partition selection's δ 1/1000000, one over two groups of sensitivity 1 at σ² 1000), one of another recipient
    // (discrete Laplace, ε 1/5, so ρ 1/50), and an unrelated entry, under a signed checkpoint.
    private async Task CreateExportAsync()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("log", "init", "--workspace", Workspace, "--origin", "log.example.org")).ExitCode);
        await AppendAsync("lab", "g1", """{"mechanism":"discrete-gaussian","parameter":"500","sensitivity":"1","rho":"1/1000","delta":"1/1000000"}""");
        await AppendAsync("lab", "g1", """{"mechanism":"discrete-gaussian","parameter":"1000","sensitivity":"1","rho":"1/1000","contributions":2}""");
        await AppendAsync("other", "g2", """{"mechanism":"discrete-laplace","parameter":"5","sensitivity":"1","rho":"1/50"}""");
        await AppendAsync("lab", "g1", """{"mechanism":"discrete-gaussian","parameter":"2000","sensitivity":"2","rho":"1/1000"}""");
        var other = Path.Combine(_root, "other.json");
        await File.WriteAllTextAsync(other, """{"n":1}""");
        Assert.Equal(0, (await CliRunner.RunAsync("log", "append", "--workspace", Workspace, "--type", "test/v1", other)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", Workspace)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("log", "export", "--workspace", Workspace, "--out", Export)).ExitCode);
    }

    private async Task AppendAsync(string recipient, string grant, string release)
    {
        var body = Path.Combine(_root, "entry.json");
        var entry = new JsonObject
        {
            ["recipient"] = recipient,
            ["agreement"] = "acme",
            ["grant"] = grant,
            ["queryDigest"] = "sha256:00",
            ["releases"] = new JsonArray(JsonNode.Parse(release)),
            ["rho"] = "0",
            ["budgetAfter"] = new JsonObject { ["spent"] = "0", ["remaining"] = "0" },
        };
        await File.WriteAllTextAsync(body, entry.ToJsonString());
        Assert.Equal(0, (await CliRunner.RunAsync("log", "append", "--workspace", Workspace, "--type", "gateway.aggregate-query/v1", body)).ExitCode);
    }
}
