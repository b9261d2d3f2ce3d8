using System.Text;
using Concordat.Crypto;
using Concordat.Notes;

namespace Concordat.Cli.Tests.Commands;

public sealed class NoteCommandTests : IDisposable
{
    // golang.org/x/mod/sumdb/note tests: the PeterNeumann key pair and its signature of this text.
    private const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string PeterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string EnochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string SignedText = Text + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-note-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Sign_GoSumdbKeyAndText_PrintsTheGoSignedNote()
    {
        var key = Write("peter.key", PeterSignerKey + "\n");

        var result = await CliRunner.RunAsync("note", "sign", "--key", key, Write("text.txt", Text));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(SignedText, result.Out);
    }

    [Fact]
    public async Task Sign_TextWithoutFinalNewline_ExitsInvalid()
    {
        var key = Write("peter.key", PeterSignerKey + "\n");

        var result = await CliRunner.RunAsync("note", "sign", "--key", key, Write("text.txt", "no newline"));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("LOG4013", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_MalformedKeyFile_ExitsInvalidWithoutEchoingTheKey()
    {
        var key = Write("bad.key", "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz\n");

        var result = await CliRunner.RunAsync("note", "sign", "--key", key, Write("text.txt", Text));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("LOG4012", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("AYEKFALV", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_InlineKey_PrintsTheText()
    {
        var result = await CliRunner.RunAsync("note", "verify", "--key", PeterVerifierKey, Write("note.txt", SignedText));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(Text, result.Out);
    }

    [Fact]
    public async Task Verify_KeyFileAmongSeveralKeys_PrintsTheText()
    {
        var result = await CliRunner.RunAsync("note", "verify", "--key", EnochVerifierKey, "--key", Write("peter.pub", PeterVerifierKey + "\n"), Write("note.txt", SignedText));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(Text, result.Out);
    }

    [Fact]
    public async Task Verify_OnlyUnknownSigners_ExitsVerificationFailedNamingThem()
    {
        var result = await CliRunner.RunAsync("note", "verify", "--key", EnochVerifierKey, Write("note.txt", SignedText));

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Contains("LOG4011", result.Error, StringComparison.Ordinal);
        Assert.Contains("PeterNeumann+c74f20a3", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Verify_ChangedText_ExitsVerificationFailed()
    {
        var result = await CliRunner.RunAsync("note", "verify", "--key", PeterVerifierKey, Write("note.txt", SignedText.Replace("problem,", "problem;", StringComparison.Ordinal)));

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Verify_NotASignedNote_ExitsInvalid()
    {
        var result = await CliRunner.RunAsync("note", "verify", "--key", PeterVerifierKey, Write("note.txt", Text));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("LOG4010", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MalformedKey_ExitsInvalid()
    {
        var result = await CliRunner.RunAsync("note", "verify", "--key", "PeterNeumann+c74f20a3", Write("note.txt", SignedText));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("LOG4012", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CosignerKey_VerifiesAPartnersCosignature()
    {
        var privateKey = Ed25519PrivateKey.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
        var partner = new NoteSignerKey("partner.example/w1", NoteKey.ComputeKeyId("partner.example/w1", privateKey.PublicKey), privateKey);
        Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(SignedText), out var note, out _));
        var cosigned = note.AddSignatures(CosignatureV1.CreateSigner(partner, DateTimeOffset.FromUnixTimeSeconds(1700000000)));

        var result = await CliRunner.RunAsync("note", "verify", "--key", CosignatureV1.FormatVerifierKey(partner.Name, privateKey.PublicKey), Write("note.txt", cosigned.ToString()));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(Text, result.Out);
    }

    [Fact]
    public async Task Cosign_SignedCheckpoint_AddsACosignatureThatVerifies()
    {
        var logKey = Write("log.key", PeterSignerKey + "\n");
        var checkpoint = Write("checkpoint.txt", "PeterNeumann\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
        var signed = await CliRunner.RunAsync("note", "sign", "--key", logKey, checkpoint);
        var partnerPrefix = Path.Combine(_folder, "partner");
        await CliRunner.RunAsync("key", "new", "--name", "partner.example/w1", "--out", partnerPrefix);
        Assert.True(NoteKey.TryParseVerifierKey(File.ReadAllText(partnerPrefix + ".pub").Trim(), out var partner, out _));

        var result = await CliRunner.RunAsync("note", "cosign", "--key", partnerPrefix + ".key", "--log-key", PeterVerifierKey, Write("signed.txt", signed.Out));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.StartsWith(signed.Out, result.Out, StringComparison.Ordinal);
        var verified = await CliRunner.RunAsync("note", "verify", "--key", CosignatureV1.FormatVerifierKey(partner.Name, partner.PublicKey), Write("cosigned.txt", result.Out));
        Assert.Equal(ExitCodes.Ok, verified.ExitCode);
    }

    [Fact]
    public async Task Cosign_CheckpointNotSignedByTheLogKey_ExitsVerificationFailed()
    {
        var logKey = Write("log.key", PeterSignerKey + "\n");
        var signed = await CliRunner.RunAsync("note", "sign", "--key", logKey, Write("checkpoint.txt", "PeterNeumann\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"));

        var result = await CliRunner.RunAsync("note", "cosign", "--key", logKey, "--log-key", EnochVerifierKey, Write("signed.txt", signed.Out));

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Empty(result.Out);
    }

    private string Write(string name, string contents)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, contents);
        return path;
    }
}
