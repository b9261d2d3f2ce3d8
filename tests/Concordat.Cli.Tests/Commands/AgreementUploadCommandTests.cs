namespace Concordat.Cli.Tests.Commands;

public sealed class AgreementUploadCommandTests : IDisposable
{
    private static readonly string s_samples = Path.Combine(AppContext.BaseDirectory, "samples");
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-upload-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Create_AgreementGroup_ListsUploadAfterTheVerbsOnFiles()
    {
        var root = ConcordatCommand.Create(TextWriter.Null, TextWriter.Null);

        var agreement = Assert.Single(root.Subcommands, c => c.Name == "agreement");

        Assert.Equal(["validate", "lint", "digest", "sign", "verify", "status", "explain", "diff", "export", "terminate", "upload", "list"], agreement.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public async Task Upload_MissingFile_ExitsInvalidWithTheFileMissingCode()
    {
        var missing = Path.Combine(_folder, "nope.yaml");

        var result = await CliRunner.RunAsync("agreement", "upload", missing, "--workspace", _folder);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Equal($"error CLI1403: file `{missing}` is missing\n  help: check the path\n", result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Upload_WorkspaceWithoutGateway_ExitsErrorWithTheUnreachableCode()
    {
        var file = Path.Combine(_folder, "a.yaml");
        await File.WriteAllTextAsync(file, "concordat: 1\n");

        var result = await CliRunner.RunAsync("agreement", "upload", file, "--workspace", _folder);

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.StartsWith("error CLI1402: no admin key in workspace ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_DiligenceNotMet_OneLinePerRequirementExitDeniedThenActiveOnceTheRecordIsHeld()
    {
        var workspace = Path.Combine(_folder, "ws");
        var amendment = Path.Combine(_folder, "hospital-research-v2.yaml");
        var answers = Path.Combine(_folder, "answers-northwind.yaml");
        var record = Path.Combine(_folder, "northwind-dd.intoto.json");
        var assessor = (await File.ReadAllTextAsync(Path.Combine(s_samples, "keys", "st-aurelia.pub"))).Trim();
        await File.WriteAllTextAsync(amendment, (await File.ReadAllTextAsync(Path.Combine(s_samples, "agreements", "hospital-research.yaml"))).Replace("\nversion: 1\n", "\nversion: 2\n", StringComparison.Ordinal)
            + $"\ndiligence:\n  - {{ party: northwind-research, maxAgeDays: 365, minScore: 80, assessorKeys: [\"{assessor}\"] }}\n");
        await File.WriteAllTextAsync(answers, (await File.ReadAllTextAsync(Path.Combine(s_samples, "diligence", "answers-cloudlab-compute.yaml"))).Replace("party: cloudlab-compute", "party: northwind-research", StringComparison.Ordinal));
        foreach (var signer in (string[])["st-aurelia", "northwind-research", "ethics-board"])
        {
            Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("agreement", "sign", amendment, "--as", signer, "--key", Path.Combine(s_samples, "keys", signer + ".key"))).ExitCode);
        }

        CliResult? refused = null, uploaded = null, activated = null;

        var served = await QuickstartServer.RunAsync(workspace, async () =>
        {
            refused = await CliRunner.RunAsync("agreement", "upload", amendment, "--workspace", workspace);
            await CliRunner.RunAsync("diligence", "sign", Path.Combine(s_samples, "diligence", "questionnaire.yaml"), answers, "--key", Path.Combine(s_samples, "keys", "st-aurelia.key"), "--assessor", "st-aurelia-security", "--out", record);
            uploaded = await CliRunner.RunAsync("diligence", "upload", record, "--workspace", workspace);
            activated = await CliRunner.RunAsync("agreement", "upload", amendment, "--workspace", workspace);
        });

        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.Equal(ExitCodes.Denied, refused!.ExitCode);
        Assert.Equal(
            "error GW6911: party `northwind-research`: no due-diligence record is held\n  help: upload a fresh record for each party named with `concordat diligence upload`, then upload the version again\n",
            refused.Error.ReplaceLineEndings("\n"));
        Assert.True(uploaded!.ExitCode == ExitCodes.Ok, uploaded.Error);
        Assert.True(activated!.ExitCode == ExitCodes.Ok, activated.Error);
        Assert.Contains("agreement `hospital-research` version 2 is active", activated.Out, StringComparison.Ordinal);
    }
}
