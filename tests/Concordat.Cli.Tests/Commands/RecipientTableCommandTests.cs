using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Tests.Commands;

public sealed class RecipientTableCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-recipient-table-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Upload_QuickstartRecipientsTable_StoredAsPseudonymsOnly()
    {
        var workspace = Path.Combine(_folder, "ws");
        var csv = Path.Combine(_folder, "my-patients.csv");
        await File.WriteAllTextAsync(csv, "patient_id,arm\r\nX-000001,treated\r\nX-000002,control\r\nX-000001,treated\r\n");
        CliResult? uploaded = null, json = null, badKey = null, readToken = null;

        var served = await QuickstartServer.RunAsync(workspace, async () =>
        {
            var url = (await File.ReadAllTextAsync(Path.Combine(workspace, "gateway.url"))).Trim();
            var token = await TokenAsync(url, workspace, "aggregate-query");
            string[] table = ["--dataset", "cardiology-records", "--table", "my-patients", "--fields", "patient_id:string,arm:string", "--gateway", url];
            uploaded = await CliRunner.RunAsync(["recipient-table", "upload", csv, .. table, "--key", "patient_id", "--token", token]);
            json = await CliRunner.RunAsync(["recipient-table", "upload", csv, .. table, "--key", "patient_id", "--token", token, "--json"]);
            badKey = await CliRunner.RunAsync(["recipient-table", "upload", csv, .. table, "--key", "nobody", "--token", token]);
            readToken = await CliRunner.RunAsync(["recipient-table", "upload", csv, .. table, "--key", "patient_id", "--token", await TokenAsync(url, workspace, "read-rows")]);
        });

        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.True(uploaded!.ExitCode == ExitCodes.Ok, uploaded.Error);
        Assert.Contains("uploaded table `my-patients` for dataset `cardiology-records`: 3 row(s), 2 distinct key(s) of `patient_id`", uploaded.Out, StringComparison.Ordinal);
        Assert.True(json!.ExitCode == ExitCodes.Ok, json.Error);
        Assert.Equal(2, JsonNode.Parse(json.Out)!["keys"]!.GetValue<int>());
        Assert.Equal(ExitCodes.Invalid, badKey!.ExitCode);
        Assert.Contains("GW", badKey.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Denied, readToken!.ExitCode);
        var stored = Directory.EnumerateFiles(Path.Combine(workspace, "recipient-tables"), "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, text => Assert.DoesNotContain("X-000001", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upload_MissingFile_Cli1101()
    {
        var result = await CliRunner.RunAsync("recipient-table", "upload", Path.Combine(_folder, "none.csv"), "--dataset", "d", "--table", "t", "--key", "k", "--fields", "k:string", "--gateway", "http://127.0.0.1:1", "--token", "t");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("CLI1101", result.Error, StringComparison.Ordinal);
    }

    // An identity of the quickstart's recipient (analysis, or training to read rows), and a token for its dataset in DE with the action.
    private static async Task<string> TokenAsync(string url, string workspace, string action)
    {
        using var admin = new HttpClient { BaseAddress = new Uri(url) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayWorkspace.ReadAdminKey(workspace)!);
        using var created = await admin.PostAsJsonAsync("/v1/recipients/northwind-research/identities", new { role = action == "read-rows" ? "training" : "analysis" });
        var identity = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{identity["clientId"]}:{identity["clientSecret"]}")));
        using var issued = await client.PostAsJsonAsync("/v1/tokens", new { dataset = "cardiology-records", purpose = action == "read-rows" ? "research" : "evaluation", jurisdiction = "DE", action });
        var body = (await issued.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(body["token"] is not null, body.ToJsonString());
        return body["token"]!.GetValue<string>();
    }
}
