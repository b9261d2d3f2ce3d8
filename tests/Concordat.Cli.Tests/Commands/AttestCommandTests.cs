using System.Text;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Tests.Commands;

public sealed class AttestCommandTests : IDisposable
{
    // golang.org/x/mod/sumdb/note tests: the PeterNeumann key pair (also used by NoteCommandTests).
    private const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string PeterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string EnochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

    private static readonly string s_redteam = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "redteam-engagement.yaml");

    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-attest-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sign_Folder_OneSubjectPerFileByRelativePathSorted()
    {
        var release = Release();

        var result = await CliRunner.RunAsync("attest", "sign", "--key", Key(), release);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var envelope = JsonNode.Parse(result.Out)!;
        Assert.Equal("application/vnd.in-toto+json", envelope["payloadType"]!.GetValue<string>());
        Assert.Equal("PeterNeumann+c74f20a3", envelope["signatures"]![0]!["keyid"]!.GetValue<string>());
        var statement = JsonNode.Parse(Convert.FromBase64String(envelope["payload"]!.GetValue<string>()))!;
        Assert.Equal(["B.txt", "a.txt", "sub/c.txt"], statement["subject"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal("https://concordat.example/attestations/artifact/v1", statement["predicateType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_UnchangedFolder_ExitsOk_AndJsonSaysVerified()
    {
        var release = Release();
        var envelope = Path.Combine(_folder, "release.intoto.json");
        var signed = await CliRunner.RunAsync("attest", "sign", "--key", Key(), "--out", envelope, "--json", release);

        var result = await CliRunner.RunAsync("attest", "verify", "--key", PeterVerifierKey, "--attestation", envelope, "--json", release);

        Assert.Equal(ExitCodes.Ok, signed.ExitCode);
        Assert.Equal(3, JsonNode.Parse(signed.Out)!["subjects"]!.AsArray().Count);
        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.True(JsonNode.Parse(result.Out)!["verified"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Verify_ChangedFile_ExitsVerificationFailedNamingTheFile()
    {
        var release = Release();
        var envelope = Path.Combine(_folder, "release.intoto.json");
        await CliRunner.RunAsync("attest", "sign", "--key", Key(), "--out", envelope, release);
        File.AppendAllText(Path.Combine(release, "sub", "c.txt"), "!");

        var result = await CliRunner.RunAsync("attest", "verify", "--key", PeterVerifierKey, "--attestation", envelope, release);

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.StartsWith("error PRV5007: `sub/c.txt` has digest", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OtherKey_ExitsVerificationFailedUnknownKey_JsonGivesTheCode()
    {
        var release = Release();
        var envelope = Path.Combine(_folder, "release.intoto.json");
        await CliRunner.RunAsync("attest", "sign", "--key", Key(), "--out", envelope, release);

        var result = await CliRunner.RunAsync("attest", "verify", "--key", EnochVerifierKey, "--attestation", envelope, "--json", release);

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Equal("PRV5003", JsonNode.Parse(result.Out)!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_NotAnEnvelope_ExitsInvalid()
    {
        var file = Path.Combine(_folder, "x.txt");
        File.WriteAllText(file, "x");
        var envelope = Path.Combine(_folder, "bad.json");
        File.WriteAllText(envelope, "{}");

        var result = await CliRunner.RunAsync("attest", "verify", "--key", PeterVerifierKey, "--attestation", envelope, file);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error PRV5001: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_EmptyFolder_ExitsInvalid()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;

        var result = await CliRunner.RunAsync("attest", "sign", "--key", Key(), empty);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1701: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_FindingUnderAgreementWithNamedOwner_RecordsForegroundOwnedByThatParty()
    {
        var finding = Path.Combine(_folder, "finding.md");
        File.WriteAllText(finding, "prompt injection bypasses the filter", Encoding.UTF8);

        var result = await CliRunner.RunAsync("attest", "sign", "--key", Key(), "--ip", "foreground", "--artifact", "finding", "--party", "sentinel-security", "--agreement", s_redteam, finding);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var predicate = JsonNode.Parse(Convert.FromBase64String(JsonNode.Parse(result.Out)!["payload"]!.GetValue<string>()))!["predicate"]!;
        Assert.Equal("finding", predicate["artifact"]!.GetValue<string>());
        Assert.Equal("foreground", predicate["ip"]!["category"]!.GetValue<string>());
        Assert.Equal(["atlas-models"], predicate["ip"]!["owners"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal("redteam-engagement", predicate["ip"]!["terms"]![0]!["agreement"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sign_ThirdPartyToolUnderALicenceTheAgreementDoesNotAllow_ExitsDeniedNamingClauseAndLicence()
    {
        var tool = Path.Combine(_folder, "tokenizer.py");
        File.WriteAllText(tool, "print('tokens')", Encoding.UTF8);

        var result = await CliRunner.RunAsync("attest", "sign", "--key", Key(), "--ip", "third-party", "--artifact", "tool", "--ip-owner", "Example Corp", "--licence", "GPL-3.0-only", "--agreement", s_redteam, tool);

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        Assert.Contains("PRV5114", result.Error, StringComparison.Ordinal);
        Assert.Contains("thirdPartyLicences", result.Error, StringComparison.Ordinal);
        Assert.Contains("`GPL-3.0-only`", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public async Task Sign_DatasetBackgroundWithoutAgreement_StaysWithTheParty()
    {
        var release = Release();

        var result = await CliRunner.RunAsync("attest", "sign", "--key", Key(), "--ip", "background", "--artifact", "dataset", "--party", "st-aurelia", release);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var predicate = JsonNode.Parse(Convert.FromBase64String(JsonNode.Parse(result.Out)!["payload"]!.GetValue<string>()))!["predicate"]!;
        Assert.Equal(["st-aurelia"], predicate["ip"]!["owners"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Empty(predicate["ip"]!["terms"]!.AsArray());
    }

    [Theory]
    [InlineData("--ip", "foreground", "--party", "atlas-models")]
    [InlineData("--ip", "background", "--artifact", "tool")]
    [InlineData("--ip", "third-party", "--artifact", "tool")]
    [InlineData("--artifact", "tool", "--party", "atlas-models")]
    public async Task Sign_IpOptionsMisused_ExitsInvalidWithCli1702(params string[] options)
    {
        var result = await CliRunner.RunAsync(["attest", "sign", "--key", Key(), .. options, Release()]);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.StartsWith("error CLI1702: ", result.Error, StringComparison.Ordinal);
    }

    private string Key()
    {
        var path = Path.Combine(_folder, "peter.key");
        File.WriteAllText(path, PeterSignerKey + "\n");
        return path;
    }

    private string Release()
    {
        var release = Path.Combine(_folder, "release");
        Directory.CreateDirectory(Path.Combine(release, "sub"));
        File.WriteAllText(Path.Combine(release, "a.txt"), "a", Encoding.UTF8);
        File.WriteAllText(Path.Combine(release, "B.txt"), "b", Encoding.UTF8);
        File.WriteAllText(Path.Combine(release, "sub", "c.txt"), "c", Encoding.UTF8);
        return release;
    }
}
