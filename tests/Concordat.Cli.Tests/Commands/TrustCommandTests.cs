namespace Concordat.Cli.Tests.Commands;

public sealed class TrustCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-trust-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    [Fact]
    public async Task Add_SameKeyTwice_PinsItOnceAndListsIt()
    {
        var pub = Path.Combine(AppContext.BaseDirectory, "samples", "keys", "st-aurelia.pub");

        var first = await CliRunner.RunAsync("trust", "add", "st-aurelia", pub, "--workspace", _workspace);
        var second = await CliRunner.RunAsync("trust", "add", "st-aurelia", pub, "--workspace", _workspace);
        var list = await CliRunner.RunAsync("trust", "list", "--workspace", _workspace);

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.StartsWith("pinned `st-aurelia` key `st-aurelia+5f773d44`", first.Out, StringComparison.Ordinal);
        Assert.StartsWith("`st-aurelia` key `st-aurelia+5f773d44` is already pinned", second.Out, StringComparison.Ordinal);
        Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_workspace, "trusted-keys")));
        Assert.Equal(["signer      key                  verifier key", $"st-aurelia  st-aurelia+5f773d44  {(await File.ReadAllTextAsync(pub)).Trim()}"], list.Out.Trim().ReplaceLineEndings("\n").Split('\n'));
    }

    [Fact]
    public async Task Add_MalformedKey_ExitsInvalid()
    {
        var result = await CliRunner.RunAsync("trust", "add", "st-aurelia", "st-aurelia+00000000+AAAA", "--workspace", _workspace);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1501: ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace, "trusted-keys")));
    }

    [Fact]
    public async Task List_NoFileYet_ListsNone()
    {
        var result = await CliRunner.RunAsync("trust", "list", "--workspace", _workspace);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal("signer  key  verifier key", result.Out.Trim());
    }
}
