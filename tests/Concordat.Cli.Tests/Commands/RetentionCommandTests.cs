using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Log;

namespace Concordat.Cli.Tests.Commands;

public sealed class RetentionCommandTests : IDisposable
{
    private static readonly string s_hospital = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "hospital-research.yaml");
    private static readonly DateTimeOffset s_egressAt = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-retention-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Status_OneAttestedOneNot_TableShowsDoneAndOverdueAndExitsCli1980()
    {
        var export = await WriteExportAsync(attested: ["d-1"]);

        var result = await CliRunner.RunAsync("retention", "status", "--bundle", export, "--agreement", s_hospital, "--at", "2026-06-01T00:00:00Z");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        var rows = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^d-1\s+northwind-research\s+cardiology-records\s+hospital-research\s+2026-03-01T09:30:00(\.000)?Z\s+2026-03-31T09:30:00(\.000)?Z\s+2026-04-14T09:30:00(\.000)?Z\s+done ", rows[1]);
        Assert.Matches(@"^d-2\s.*\sOVERDUE$", rows[2].TrimEnd());
        Assert.Contains("CLI1980", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_BeforeTheDeadline_AllDueAndExitOk()
    {
        var export = await WriteExportAsync(attested: []);

        var result = await CliRunner.RunAsync("retention", "status", "--bundle", export, "--agreement", s_hospital, "--at", "2026-03-10T00:00:00Z", "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var items = JsonNode.Parse(result.Out)!["items"]!.AsArray();
        Assert.Equal(["due", "due"], items.Select(i => i!["state"]!.GetValue<string>()));
        Assert.Equal(0, JsonNode.Parse(result.Out)!["unknownAgreements"]!.GetValue<int>());
    }

    [Fact]
    public async Task Status_NotAnExport_Cli1981()
    {
        var file = Path.Combine(_folder, "not-an-export.ndjson");
        await File.WriteAllTextAsync(file, "{\"hello\":1}\n");

        var result = await CliRunner.RunAsync("retention", "status", "--bundle", file, "--agreement", s_hospital);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("CLI1981", result.Error, StringComparison.Ordinal);
        Assert.Contains("not a log export", result.Error, StringComparison.Ordinal);
    }

    // An export as `log export` writes its entry lines (the header and checkpoint lines are what `log verify` checks).
    private async Task<string> WriteExportAsync(string[] attested)
    {
        var agreement = AgreementReader.Read(await File.ReadAllTextAsync(s_hospital), s_hospital).Agreement!;
        var digest = AgreementDigest.Compute(agreement).ToString();
        List<LogEntry> entries = [];
        foreach (var id in (string[])["d-1", "d-2"])
        {
            entries.Add(Entry("gateway.decision/v1", s_egressAt, new { decisionId = id, effect = "permit", agreement = "hospital-research", agreementDigest = digest }));
            entries.Add(Entry("gateway.egress/v1", s_egressAt, new { decisionId = id, recipient = "northwind-research", dataset = "cardiology-records", completed = true }));
        }

        if (attested.Length > 0)
        {
            entries.Add(Entry("gateway.deletion-attested/v1", s_egressAt.AddDays(20), new { recipient = "northwind-research", decisionIds = attested }));
        }

        var path = Path.Combine(_folder, "export.ndjson");
        var lines = entries.Select((e, i) => JsonSerializer.Serialize(new { index = i, entry = Convert.ToBase64String(e.CanonicalBytes.Span) }));
        await File.WriteAllLinesAsync(path, lines.Prepend(JsonSerializer.Serialize(new { format = LogExport.FormatName })));
        return path;
    }

    private static LogEntry Entry(string type, DateTimeOffset time, object body) => LogEntry.Create(type, time, JsonSerializer.SerializeToElement(body));
}
