using System.Globalization;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Tests.Commands;

/// <summary>
/// The incident verbs and <c>kpi</c> against a real gateway (quickstart's, in process, loopback), and their bad input.
/// </summary>
public sealed class IncidentCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-incident-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    [Fact]
    public async Task Playbook_OverdueClocksThenNotified_StatusExitsNonZeroUntilGivenAndKpiMatchesTheExport()
    {
        var detected = TimeProvider.System.GetUtcNow().AddHours(-100).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        CliResult overdue = null!, status = null!, fromGateway = null!, closed = null!, stixFromGateway = null!;
        string id = null!;
        var notified = new List<CliResult>();
        await ServeAsync(async () =>
        {
            var opened = await CliRunner.RunAsync("incident", "open", "--severity", "high", "--suspected", "bulk download", "--owner", "alice", "--agreement", "hospital-research", "--recipient", "northwind-research", "--detected-at", detected, "--workspace", _workspace, "--json");
            Assert.True(opened.ExitCode == ExitCodes.Ok, opened.Error);
            var incident = JsonNode.Parse(opened.Out)!;
            id = incident["id"]!.GetValue<string>();
            overdue = await CliRunner.RunAsync("incident", "status", "--workspace", _workspace);
            foreach (var clock in incident["notifications"]!.AsArray())
            {
                notified.Add(await CliRunner.RunAsync("incident", "notify", id, "--whom", clock!["whom"]!.GetValue<string>(), "--actor", "alice", "--workspace", _workspace));
            }

            status = await CliRunner.RunAsync("incident", "status", "--workspace", _workspace);
            closed = await CliRunner.RunAsync("incident", "close", id, "--root-cause", "a test", "--workspace", _workspace);
            fromGateway = await CliRunner.RunAsync("kpi", "--workspace", _workspace, "--json");
            stixFromGateway = await CliRunner.RunAsync("incident", "export-stix", id, "--tlp", "green", "--workspace", _workspace);
        });
        Assert.Equal(0, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace)).ExitCode);
        var export = Path.Combine(_workspace, "log.export.ndjson");
        Assert.Equal(0, (await CliRunner.RunAsync("log", "export", "--workspace", _workspace, "--out", export)).ExitCode);

        var fromExport = await CliRunner.RunAsync("kpi", "--bundle", export, "--json");
        var stixFile = Path.Combine(_workspace, "incident.stix.json");
        var stixFromExport = await CliRunner.RunAsync("incident", "export-stix", id, "--tlp", "green", "--bundle", export, "--out", stixFile);
        var unknown = await CliRunner.RunAsync("incident", "export-stix", "inc_absent", "--bundle", export);

        Assert.Equal(ExitCodes.Error, overdue.ExitCode);
        Assert.Contains("error CLI1761: 3 notification(s) overdue", overdue.Error, StringComparison.Ordinal);
        Assert.Contains(CliTable.Overdue, overdue.Out, StringComparison.Ordinal);
        Assert.All(notified, n => Assert.True(n.ExitCode == ExitCodes.Ok, n.Error));
        Assert.True(status.ExitCode == ExitCodes.Ok, status.Error);
        Assert.DoesNotContain(CliTable.Overdue, status.Out, StringComparison.Ordinal);
        Assert.True(closed.ExitCode == ExitCodes.Ok, closed.Error);
        Assert.True(fromGateway.ExitCode == ExitCodes.Ok, fromGateway.Error);
        Assert.True(fromExport.ExitCode == ExitCodes.Ok, fromExport.Error);
        Assert.Equal(fromGateway.Out, fromExport.Out);
        var kpi = JsonNode.Parse(fromExport.Out)!;
        Assert.Equal(1, kpi["incidents"]!.GetValue<int>());
        Assert.Equal(3, kpi["timeToNotify"]!["count"]!.GetValue<int>());
        Assert.True(kpi["timeToNotify"]!["medianSeconds"]!.GetValue<double>() >= 100 * 3600);
        Assert.True(stixFromGateway.ExitCode == ExitCodes.Ok, stixFromGateway.Error);
        Assert.True(stixFromExport.ExitCode == ExitCodes.Ok, stixFromExport.Error);
        Assert.Equal(stixFromGateway.Out.Trim(), (await File.ReadAllTextAsync(stixFile)).Trim());
        var stix = JsonNode.Parse(stixFromGateway.Out)!;
        Assert.Equal("bundle", stix["type"]!.GetValue<string>());
        Assert.Contains(stix["objects"]!.AsArray(), o => o!["type"]!.GetValue<string>() == "incident" && o["external_references"]![0]!["external_id"]!.GetValue<string>() == id);
        Assert.DoesNotContain("alice", stixFromGateway.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, unknown.ExitCode);
        Assert.StartsWith("error CLI1763: no incident `inc_absent`", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_WhileTheGatewayServes_DetectsRunsThePlaybookOnACopyAndLeavesTheWorkspaceAlone()
    {
        static string[] Drills() => [.. Directory.EnumerateDirectories(Path.GetTempPath(), "concordat-drill-*").Order(StringComparer.Ordinal)];
        var drillsBefore = Drills();
        CliResult drill = null!;
        string before = null!, after = null!;
        await ServeAsync(async () =>
        {
            before = (await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace)).Out;
            drill = await CliRunner.RunAsync("incident", "drill", "--recipient", "northwind-research", "--workspace", _workspace, "--json");
            after = (await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace)).Out;
        });

        Assert.True(drill.ExitCode == ExitCodes.Ok, drill.Error);
        var report = JsonNode.Parse(drill.Out)!;
        var final = report["final"]!;
        Assert.Equal("northwind-research", report["recipient"]!.GetValue<string>());
        Assert.True(final["isDrill"]!.GetValue<bool>());
        Assert.False(final["isOpen"]!.GetValue<bool>());
        Assert.Contains("northwind-research", final["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        var acts = final["acts"]!.AsArray().Select(a => a!["act"]!.GetValue<string>()).ToList();
        Assert.Equal(["acknowledge", "seal", "snapshot"], acts.Take(3));
        Assert.Equal(["remediate", "close"], acts.TakeLast(2));
        Assert.Equal(final["notifications"]!.AsArray().Count, acts.Count(a => a == "notify"));
        Assert.All(final["notifications"]!.AsArray(), n => Assert.NotNull(n!["givenAt"]));
        var steps = report["steps"]!.AsArray().Select(s => s!["step"]!.GetValue<string>()).ToList();
        Assert.Contains("detect: the gateway opens a drill incident", steps);
        Assert.Equal(20, report["requests"]!.GetValue<int>());
        Assert.True(report["timeToContainMilliseconds"]!.GetValue<double>() >= report["timeToDetectMilliseconds"]!.GetValue<double>());
        Assert.Null(report["copy"]);

        // The workspace served on, untouched: the drill's entries went to its copy, which is gone.
        Assert.Equal(before, after);
        Assert.Equal(drillsBefore, Drills());
    }

    [Fact]
    public async Task Drill_WorkspaceWithoutALog_ExitsInvalidWithItsCode()
    {
        var result = await CliRunner.RunAsync("incident", "drill", "--recipient", "northwind-research", "--workspace", _workspace);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1765: workspace ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_MalformedDetectedAt_ExitsInvalidWithItsCode()
    {
        var result = await CliRunner.RunAsync("incident", "open", "--severity", "low", "--suspected", "s", "--owner", "alice", "--detected-at", "yesterday", "--workspace", _workspace);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1760: `--detected-at`: `yesterday` is not an RFC 3339 time", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportStix_NoSuchFile_ExitsInvalidWithItsCode()
    {
        var result = await CliRunner.RunAsync("incident", "import-stix", Path.Combine(_workspace, "absent.json"), "--workspace", _workspace);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1764: no file ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kpi_FileNotAnExport_ExitsInvalidWithItsCode()
    {
        var file = Path.Combine(_workspace, "rows.csv");
        await File.WriteAllTextAsync(file, "{\"a\":1}\n");

        var result = await CliRunner.RunAsync("kpi", "--bundle", file);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1762: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_NoGateway_ExitsErrorWithTheUnreachableCode()
    {
        var result = await CliRunner.RunAsync("incident", "status", "--workspace", _workspace);

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.StartsWith("error CLI1402: ", result.Error, StringComparison.Ordinal);
    }

    private async Task ServeAsync(Func<Task> whileServing)
    {
        var result = await QuickstartServer.RunAsync(_workspace, whileServing);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
    }
}
