using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Gateway.Hosting;
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
    public async Task Attest_QuickstartRecipientDeletesItsEgress_GatewayStatusShowsDone()
    {
        var workspace = Path.Combine(_folder, "ws");
        CliResult? attested = null, unknown = null, before = null, after = null;
        string? decisionId = null;

        var served = await QuickstartServer.RunAsync(workspace, async () =>
        {
            var url = (await File.ReadAllTextAsync(Path.Combine(workspace, "gateway.url"))).Trim();
            var token = await RecipientTokenAsync(url, workspace);
            using (var http = new HttpClient { BaseAddress = new Uri(url) })
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var rows = await http.GetAsync("/v1/datasets/cardiology-records/rows");
                decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
                await rows.Content.ReadAsByteArrayAsync();

                // The egress is logged, its receipt stored and then its attestation signed as the stream ends: wait for the last.
                for (var attempt = 0; attempt < 500 && (await http.GetAsync($"/v1/attestations/egress/{decisionId}")).StatusCode != System.Net.HttpStatusCode.OK; attempt++)
                {
                    await Task.Delay(20);
                }
            }

            var key = Path.Combine(workspace, "parties", "northwind-research.key");
            before = await CliRunner.RunAsync("retention", "status", "--gateway", url, "--token", token);
            attested = await CliRunner.RunAsync("retention", "attest", "--egress", decisionId, "--key", key, "--gateway", url, "--token", token, "--out", Path.Combine(_folder, "deletion.intoto.json"));
            unknown = await CliRunner.RunAsync("retention", "attest", "--egress", "dec_nobody", "--key", key, "--gateway", url, "--token", token);
            after = await CliRunner.RunAsync("retention", "status", "--gateway", url, "--token", token, "--json");
        });

        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.True(before!.ExitCode == ExitCodes.Ok, before.Error);
        Assert.Matches($@"{decisionId}\s+northwind-research\s+cardiology-records\s+hospital-research\s.*\sdue", before.Out);
        Assert.True(attested!.ExitCode == ExitCodes.Ok, attested.Error);
        Assert.Contains("attested deletion of 1 egress for `northwind-research`", attested.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "deletion.intoto.json")));
        Assert.Equal(ExitCodes.Invalid, unknown!.ExitCode);
        Assert.Contains("CLI1982", unknown.Error, StringComparison.Ordinal);
        Assert.True(after!.ExitCode == ExitCodes.Ok, after.Error);
        var item = JsonNode.Parse(after.Out)!["items"]!.AsArray().Single(i => i!["decisionId"]!.GetValue<string>() == decisionId)!;
        Assert.Equal("done", item["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Status_NeitherBundleNorGateway_Cli1983()
    {
        var neither = await CliRunner.RunAsync("retention", "status");
        var both = await CliRunner.RunAsync("retention", "status", "--bundle", "x.ndjson", "--agreement", s_hospital, "--gateway", "http://127.0.0.1:1", "--token", "t");

        Assert.Equal(ExitCodes.Invalid, neither.ExitCode);
        Assert.Contains("CLI1983", neither.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, both.ExitCode);
        Assert.Contains("CLI1983", both.Error, StringComparison.Ordinal);
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

    // A training identity of the quickstart's recipient, and a token for research in DE on its dataset.
    private static async Task<string> RecipientTokenAsync(string url, string workspace)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(url) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayWorkspace.ReadAdminKey(workspace)!);
        using var created = await admin.PostAsJsonAsync("/v1/recipients/northwind-research/identities", new { role = "training" });
        var identity = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{identity["clientId"]}:{identity["clientSecret"]}")));
        using var issued = await client.PostAsJsonAsync("/v1/tokens", new { dataset = "cardiology-records", purpose = "research", jurisdiction = "DE" });
        return (await issued.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    private static LogEntry Entry(string type, DateTimeOffset time, object body) => LogEntry.Create(type, time, JsonSerializer.SerializeToElement(body));
}
