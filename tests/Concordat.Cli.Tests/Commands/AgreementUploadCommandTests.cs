namespace Concordat.Cli.Tests.Commands;

public sealed class AgreementUploadCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-upload-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Create_AgreementGroup_ListsUploadAfterTheVerbsOnFiles()
    {
        var root = ConcordatCommand.Create(TextWriter.Null, TextWriter.Null);

        var agreement = Assert.Single(root.Subcommands, c => c.Name == "agreement");

        Assert.Equal(["validate", "digest", "sign", "verify", "status", "explain", "diff", "export", "terminate", "upload", "list"], agreement.Subcommands.Select(c => c.Name));
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
}
