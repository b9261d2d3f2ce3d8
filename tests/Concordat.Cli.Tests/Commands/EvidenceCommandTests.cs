using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Tests.Commands;

/// <summary><c>concordat evidence build|verify</c> on a quickstart workspace: a pack that verifies alone and carries the compliance report <c>compliance check</c> gives, and one changed after it was built that fails.</summary>
public sealed class EvidenceCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-evidence-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    [Fact]
    public async Task BuildThenVerify_QuickstartWorkspace_VerifiesAndAnAddedFileFails()
    {
        var served = await QuickstartServer.RunAsync(_workspace, RequestTokensAsync);
        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace)).ExitCode);
        var pack = Path.Combine(_workspace, "hospital-research.evidence.zip");

        var built = await CliRunner.RunAsync("evidence", "build", "--workspace", _workspace, "--agreement", "hospital-research", "--out", pack, "--json");
        var verified = await CliRunner.RunAsync("evidence", "verify", pack, "--log-key", Path.Combine(_workspace, "log.pub"), "--json");
        var table = await CliRunner.RunAsync("evidence", "verify", pack);
        var checkedNow = await CliRunner.RunAsync("compliance", "check", "hospital-research", "--workspace", _workspace, "--json");
        JsonNode packed;
        using (var archive = ZipFile.OpenRead(pack))
        {
            using var compliance = archive.GetEntry("reports/compliance.json")!.Open();
            packed = JsonNode.Parse(compliance)!;
        }

        using (var archive = ZipFile.Open(pack, ZipArchiveMode.Update))
        {
            using var added = archive.CreateEntry("log/extra.ndjson").Open();
            added.Write("{}\n"u8);
        }

        var tampered = await CliRunner.RunAsync("evidence", "verify", pack, "--log-key", Path.Combine(_workspace, "log.pub"));
        var unknown = await CliRunner.RunAsync("evidence", "build", "--workspace", _workspace, "--agreement", "no-such-agreement", "--out", pack + "2");
        var period = await CliRunner.RunAsync("evidence", "build", "--workspace", _workspace, "--agreement", "hospital-research", "--from", "yesterday", "--out", pack + "2");

        Assert.True(built.ExitCode == ExitCodes.Ok, built.Error);
        Assert.True(JsonNode.Parse(built.Out)!["entries"]!.GetValue<long>() > 0);
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Out + verified.Error);
        var result = JsonNode.Parse(verified.Out)!;
        Assert.True(result["verified"]!.GetValue<bool>());
        Assert.True(result["counts"]!["agreementVersions"]!.GetValue<long>() >= 1);
        Assert.True(result["counts"]!["entries:gateway.agreement/v1"]!.GetValue<long>() >= 1, verified.Out);
        Assert.Equal(3, result["counts"]!["decisionsReplayed"]!.GetValue<long>());
        Assert.Equal(1, result["counts"]!["tokensChecked"]!.GetValue<long>());
        Assert.Equal(1, result["counts"]!["egressChecked"]!.GetValue<long>());
        Assert.Equal(1, result["counts"]!["egressObligationsChecked"]!.GetValue<long>());
        Assert.Contains("log (from the pack, not pinned)", table.Out, StringComparison.Ordinal);
        Assert.Equal(1, result["counts"]!["complianceReports"]!.GetValue<long>());
        var expected = JsonNode.Parse(checkedNow.Out)!.AsObject();
        Assert.True(expected.Remove("checkedAt") && packed.AsObject().Remove("checkedAt"));
        Assert.True(JsonNode.DeepEquals(expected, packed), $"{expected}\n{packed}");
        Assert.Equal(ExitCodes.VerificationFailed, tampered.ExitCode);
        Assert.Contains("EVD8005", tampered.Error, StringComparison.Ordinal);
        Assert.Contains("`log/extra.ndjson`", tampered.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, unknown.ExitCode);
        Assert.StartsWith("error EVD8014", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, period.ExitCode);
        Assert.StartsWith("error CLI1950", period.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(pack + "2"));
    }

    // The recipient asks for a token it is granted and one the agreement prohibits (processing in the US): two decisions.
    private async Task RequestTokensAsync()
    {
        var created = await CliRunner.RunAsync("identity", "create", "northwind-research", "--role", "analysis", "--workspace", _workspace);
        Assert.True(created.ExitCode == ExitCodes.Ok, created.Error);
        var lines = created.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{lines[0].Split(' ')[1]}:{lines[1].Trim()}"));
        using var http = new HttpClient { BaseAddress = new Uri((await File.ReadAllTextAsync(Path.Combine(_workspace, "gateway.url"))).Trim().TrimEnd('/') + "/") };
        foreach (var jurisdiction in new[] { "NL", "US" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/tokens")
            {
                Content = JsonContent.Create(new { dataset = "cardiology-records", purpose = "research", jurisdiction }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
            using var response = await http.SendAsync(request);
            Assert.Equal(jurisdiction == "NL" ? HttpStatusCode.Created : HttpStatusCode.Forbidden, response.StatusCode);
            if (jurisdiction == "NL")
            {
                await ReadRowsAsync(http, (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
            }
        }
    }

    // One egress under the granted token (a third decision), waited for until its attestation is signed, so that its
    // entry, with the obligations it carried out, is in the log before the checkpoint.
    private static async Task ReadRowsAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/datasets/cardiology-records/rows");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var rows = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
        await rows.Content.ReadAsByteArrayAsync();
        for (var attempt = 0; attempt < 500; attempt++)
        {
            using var attestation = new HttpRequestMessage(HttpMethod.Get, $"v1/attestations/egress/{decisionId}");
            attestation.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var answer = await http.SendAsync(attestation);
            if (answer.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail($"the egress of `{decisionId}` was never attested");
    }
}
