using Concordat.Crypto;

namespace Concordat.Cli.Tests.Commands;

public sealed class KeyCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-key-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task New_WritesOwnerOnlySignerKeyAndMatchingVerifierKey()
    {
        var prefix = Path.Combine(_folder, "alice");

        var result = await CliRunner.RunAsync("key", "new", "--name", "alice", "--out", prefix);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.True(NoteKey.TryParseSignerKey(File.ReadAllText(prefix + ".key").Trim(), out var signer, out _));
        Assert.True(NoteKey.TryParseVerifierKey(File.ReadAllText(prefix + ".pub").Trim(), out var verifier, out _));
        Assert.Equal(verifier, signer!.VerifierKey);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(prefix + ".key"));
    }

    [Fact]
    public async Task New_ExistingFile_RefusesAndKeepsIt()
    {
        var prefix = Path.Combine(_folder, "bob");
        await File.WriteAllTextAsync(prefix + ".key", "keep me");

        var result = await CliRunner.RunAsync("key", "new", "--name", "bob", "--out", prefix);

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Equal("keep me", await File.ReadAllTextAsync(prefix + ".key"));
        Assert.Contains("CLI1002", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_InvalidName_ExitsInvalidWithJsonDiagnostic()
    {
        var result = await CliRunner.RunAsync("key", "new", "--name", "a+b", "--out", Path.Combine(_folder, "x"), "--error-format", "json");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("\"code\":\"CLI1001\"", result.Error, StringComparison.Ordinal);
    }
}
