using Concordat.Testing.Merkle;

namespace Concordat.Cli.Tests.Commands;

public sealed class LogCheckCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-logcheck-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Root_PublishedVectorLeaves_PrintsPublishedRoot()
    {
        var path = Write("leaves.txt", string.Concat(Rfc6962Vectors.Leaves.Select(l => Convert.ToHexStringLower(l) + "\n")));

        var result = await CliRunner.RunAsync("log", "root", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(Rfc6962Vectors.Roots[8] + "\n", result.Out);
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("\n", 1)]
    [InlineData("\n00\n10\n", 3)]
    public async Task Root_SmallInputs_PrintRootOfThatSize(string input, int size)
    {
        var result = await CliRunner.RunAsync("log", "root", Write("leaves.txt", input));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(Rfc6962Vectors.Roots[size] + "\n", result.Out);
    }

    [Theory]
    [InlineData("00\nAB\n", 2, 1)]
    [InlineData("00\n0\n", 2, 1)]
    [InlineData("00\n10 \n", 2, 3)]
    [InlineData("00\n10\r\n", 2, 3)]
    [InlineData("00\n10", 2, 1)]
    public async Task Root_MalformedLine_ExitsInvalidNamingTheLine(string input, int line, int column)
    {
        var path = Write("leaves.txt", input);

        var result = await CliRunner.RunAsync("log", "root", path);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains($"{path}:{line}:{column}: error LOG4001: line {line}", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Root_MissingFile_ExitsErrorWithOneLine()
    {
        var result = await CliRunner.RunAsync("log", "root", Path.Combine(_folder, "absent.txt"));

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("is missing", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInclusion_Base64AsServedAndEntryBytes_Holds()
    {
        var (index, size, proof) = Rfc6962Vectors.InclusionProofs[1];
        var entry = Path.Combine(_folder, "entry.bin");
        await File.WriteAllBytesAsync(entry, Rfc6962Vectors.Leaves[(int)index]);

        var result = await CliRunner.RunAsync("log", "check-inclusion", "--entry", entry, "--index", $"{index}", "--size", $"{size}",
            "--root", Base64(Rfc6962Vectors.Roots[(int)size]), "--proof", string.Join(',', proof.Select(Base64)));
        var both = await CliRunner.RunAsync("log", "check-inclusion", "--entry", entry, "--leaf-hash", LeafHash((int)index), "--index", $"{index}", "--size", $"{size}",
            "--root", Rfc6962Vectors.Roots[(int)size], "--proof", string.Join(',', proof));
        var unpadded = await CliRunner.RunAsync("log", "check-inclusion", "--entry", entry, "--index", $"{index}", "--size", $"{size}",
            "--root", Base64(Rfc6962Vectors.Roots[(int)size]).TrimEnd('='), "--proof", string.Join(',', proof));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("inclusion proof holds", result.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, both.ExitCode);
        Assert.Equal(ExitCodes.Invalid, unpadded.ExitCode);
        Assert.Contains("LOG4002", unpadded.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInclusion_PublishedVector_Holds()
    {
        var (index, size, proof) = Rfc6962Vectors.InclusionProofs[1];

        var result = await CliRunner.RunAsync("log", "check-inclusion", "--leaf-hash", LeafHash((int)index), "--index", $"{index}", "--size", $"{size}",
            "--root", Rfc6962Vectors.Roots[(int)size], "--proof", string.Join(',', proof));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("inclusion proof holds", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInclusion_OneLeafTreeWithEmptyProof_Holds()
    {
        var result = await CliRunner.RunAsync("log", "check-inclusion", "--leaf-hash", LeafHash(0), "--index", "0", "--size", "1", "--root", Rfc6962Vectors.Roots[1], "--proof", "");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
    }

    [Fact]
    public async Task CheckInclusion_WrongRoot_ExitsVerificationFailedWithBothRoots()
    {
        var (index, size, proof) = Rfc6962Vectors.InclusionProofs[1];

        var result = await CliRunner.RunAsync("log", "check-inclusion", "--leaf-hash", LeafHash((int)index), "--index", $"{index}", "--size", $"{size}",
            "--root", Rfc6962Vectors.Roots[7], "--proof", string.Join(',', proof));

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Contains("LOG4003", result.Error, StringComparison.Ordinal);
        Assert.Contains($"expected `{Rfc6962Vectors.Roots[7]}`, calculated `{Rfc6962Vectors.Roots[8]}`", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInclusion_TruncatedProof_ExitsVerificationFailed()
    {
        var (index, size, proof) = Rfc6962Vectors.InclusionProofs[1];

        var result = await CliRunner.RunAsync("log", "check-inclusion", "--leaf-hash", LeafHash((int)index), "--index", $"{index}", "--size", $"{size}",
            "--root", Rfc6962Vectors.Roots[8], "--proof", string.Join(',', proof[..2]));

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Contains("the proof has 2 hashes but these sizes call for 3", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--leaf-hash", "zz")]
    [InlineData("--index", "-1")]
    [InlineData("--size", "8x")]
    [InlineData("--proof", "abc")]
    [InlineData("--index", null)]
    public async Task CheckInclusion_MalformedValue_ExitsInvalid(string option, string? value)
    {
        var args = new Dictionary<string, string>
        {
            ["--leaf-hash"] = LeafHash(0),
            ["--index"] = "0",
            ["--size"] = "8",
            ["--root"] = Rfc6962Vectors.Roots[8],
            ["--proof"] = string.Join(',', Rfc6962Vectors.InclusionProofs[0].Proof),
        };
        args.Remove(option);
        if (value is not null)
        {
            args[option] = value;
        }

        var result = await CliRunner.RunAsync(["log", "check-inclusion", .. args.SelectMany(a => new[] { a.Key, a.Value }), "--error-format", "json"]);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("\"code\":\"LOG4002\"", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConsistency_PublishedVectors_Hold()
    {
        foreach (var (size1, size2, proof) in Rfc6962Vectors.ConsistencyProofs)
        {
            var result = await CliRunner.RunAsync("log", "check-consistency", "--size1", $"{size1}", "--size2", $"{size2}",
                "--root1", Rfc6962Vectors.Roots[(int)size1], "--root2", Rfc6962Vectors.Roots[(int)size2], "--proof", string.Join(',', proof));

            Assert.Equal(ExitCodes.Ok, result.ExitCode);
        }
    }

    [Fact]
    public async Task CheckConsistency_ForkedNewRoot_ExitsVerificationFailed()
    {
        var (size1, size2, proof) = Rfc6962Vectors.ConsistencyProofs[2];

        var result = await CliRunner.RunAsync("log", "check-consistency", "--size1", $"{size1}", "--size2", $"{size2}",
            "--root1", Rfc6962Vectors.Roots[(int)size1], "--root2", Rfc6962Vectors.Roots[7], "--proof", string.Join(',', proof));

        Assert.Equal(ExitCodes.VerificationFailed, result.ExitCode);
        Assert.Contains("LOG4004", result.Error, StringComparison.Ordinal);
        Assert.Contains("root mismatch for tree size 8", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConsistency_ReversedSizes_ExitsInvalid()
    {
        var result = await CliRunner.RunAsync("log", "check-consistency", "--size1", "8", "--size2", "6",
            "--root1", Rfc6962Vectors.Roots[8], "--root2", Rfc6962Vectors.Roots[6], "--proof", "");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("LOG4002", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConsistency_FromTheEmptyTree_ExitsInvalidAsTheLibraryAndHttpRefuseIt()
    {
        var result = await CliRunner.RunAsync("log", "check-consistency", "--size1", "0", "--size2", "8",
            "--root1", Rfc6962Vectors.Roots[0], "--root2", Rfc6962Vectors.Roots[8], "--proof", "");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("LOG4002", result.Error, StringComparison.Ordinal);
        Assert.Contains("proves nothing", result.Error, StringComparison.Ordinal);
    }

    private static string Base64(string hex) => Convert.ToBase64String(Convert.FromHexString(hex));

    private static string LeafHash(int index)
    {
        var leaf = Rfc6962Vectors.Leaves[index];
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([0x00, .. leaf]));
    }

    private string Write(string name, string contents)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, contents);
        return path;
    }
}
