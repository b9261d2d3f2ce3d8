using System.Text.Json.Nodes;

namespace Concordat.Cli.Tests.Commands;

public sealed class DiligenceGatewayCommandsTests : IDisposable
{
    private static readonly string s_questionnaire = Path.Combine(AppContext.BaseDirectory, "samples", "diligence", "questionnaire.yaml");
    private static readonly string s_answers = Path.Combine(AppContext.BaseDirectory, "samples", "diligence", "answers-cloudlab-compute.yaml");
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-diligence-gw-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task UploadThenList_RecordSignedByAPinnedKey_HeldAndListedByParty()
    {
        var workspace = Path.Combine(_folder, "ws");
        var record = Path.Combine(_folder, "cloudlab-dd.intoto.json");
        CliResult? signed = null, uploaded = null, table = null, json = null, other = null;

        var served = await QuickstartServer.RunAsync(workspace, async () =>
        {
            // The quickstart workspace pins the demo key of each signer of the sample: st-aurelia's signs as the assessor.
            signed = await CliRunner.RunAsync("diligence", "sign", s_questionnaire, s_answers, "--key", Path.Combine(workspace, "parties", "st-aurelia.key"), "--assessor", "st-aurelia-security", "--out", record);
            uploaded = await CliRunner.RunAsync("diligence", "upload", record, "--workspace", workspace);
            table = await CliRunner.RunAsync("diligence", "list", "--workspace", workspace);
            json = await CliRunner.RunAsync("diligence", "list", "--workspace", workspace, "--party", "cloudlab-compute", "--json");
            other = await CliRunner.RunAsync("diligence", "list", "--workspace", workspace, "--party", "northwind-research", "--json");
        });

        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.True(signed!.ExitCode == ExitCodes.Ok, signed.Error);
        Assert.True(uploaded!.ExitCode == ExitCodes.Ok, uploaded.Error);
        Assert.StartsWith("the gateway holds the due-diligence record of `cloudlab-compute` (85.7, passed), assessed by `st-aurelia-security` at ", uploaded.Out, StringComparison.Ordinal);
        Assert.True(table!.ExitCode == ExitCodes.Ok, table.Error);
        Assert.Matches(@"cloudlab-compute\s+concordat-vendor-due-diligence\s+1\s+85\.7\s+passed\s+st-aurelia-security\s", table.Out);
        var held = Assert.Single(JsonNode.Parse(json!.Out)!.AsArray())!;
        Assert.Equal(("cloudlab-compute", "85.7"), (held["party"]!.GetValue<string>(), held["overall"]!.GetValue<string>()));
        Assert.Empty(JsonNode.Parse(other!.Out)!.AsArray());
    }

    [Fact]
    public async Task Upload_RecordSignedByAnUnpinnedKey_Gw6910ExitInvalid()
    {
        var workspace = Path.Combine(_folder, "ws");
        // The hospital sample's quickstart pins its own signers only, not the foundation sample's.
        var key = Path.Combine(AppContext.BaseDirectory, "samples", "keys", "meridian-ai.key");
        var record = Path.Combine(_folder, "cloudlab-dd.intoto.json");
        CliResult? uploaded = null;

        var served = await QuickstartServer.RunAsync(workspace, async () =>
        {
            await CliRunner.RunAsync("diligence", "sign", s_questionnaire, s_answers, "--key", key, "--assessor", "st-aurelia-security", "--out", record);
            uploaded = await CliRunner.RunAsync("diligence", "upload", record, "--workspace", workspace);
        });

        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.Equal(ExitCodes.Invalid, uploaded!.ExitCode);
        Assert.StartsWith("error GW6910: the envelope does not verify", uploaded.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_MissingFile_Cli1403()
    {
        var missing = Path.Combine(_folder, "nope.json");

        var result = await CliRunner.RunAsync("diligence", "upload", missing, "--workspace", _folder);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1403: file `", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WorkspaceWithoutGateway_Cli1402()
    {
        var result = await CliRunner.RunAsync("diligence", "list", "--workspace", _folder);

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.StartsWith("error CLI1402: no admin key in workspace ", result.Error, StringComparison.Ordinal);
    }
}
