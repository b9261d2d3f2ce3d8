using System.Text;
using Concordat.Decisions;
using Concordat.Testing.Decisions;

namespace Concordat.Cli.Tests.Commands;

public sealed class DecideCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-decide-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static IEnumerable<object[]> FileCaseNames() => DecisionCaseFile.NamesUsingOnlyFilesInForce();

    private static string Sample(string name) => DecisionCaseFile.ResolvePath($"samples/agreements/{name}.yaml");

    [Theory]
    [MemberData(nameof(FileCaseNames))]
    public async Task Decide_CorpusFile_GivesExpectedDecisionsAndExitCodes(string name)
    {
        var file = DecisionCaseFile.Load(name);
        var differences = new List<string>();

        foreach (var decisionCase in file.Cases)
        {
            var requestPath = Path.Combine(_folder, "request.json");
            await File.WriteAllTextAsync(requestPath, DecisionJson.WriteRequest(decisionCase.Request).ToJsonString());
            var args = new List<string> { "decide", "--json", "--assume-in-force", "--request", requestPath };
            foreach (var agreement in file.Agreements)
            {
                args.AddRange(["--agreement", DecisionCaseFile.ResolvePath(agreement.File!)]);
            }

            var result = await CliRunner.RunAsync([.. args]);

            Assert.True(DecisionRecordV1.TryParse(Encoding.UTF8.GetBytes(result.Out), out var record, out var error), error?.Message + result.Error);
            Assert.Equal(decisionCase.Effect == Effect.Permit ? ExitCodes.Ok : ExitCodes.Denied, result.ExitCode);
            differences.Add(decisionCase.Difference(record) ?? string.Empty);
        }

        Assert.All(differences, d => Assert.Equal(string.Empty, d));
    }

    [Fact]
    public async Task Decide_RequestAsFlags_PrintsPermitRecordAndExitsOk()
    {
        var result = await CliRunner.RunAsync(
            "decide", "--json", "--assume-in-force", "--agreement", Sample("foundation-evaluation"),
            "--recipient", "meridian-ai", "--action", "read-rows", "--dataset", "encyclopedia-corpus",
            "--purpose", "evaluation", "--jurisdiction", "GB", "--time", "2026-06-01T12:00:00Z");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("\"effect\":\"permit\"", result.Out, StringComparison.Ordinal);
        Assert.Contains($"\"digest\":\"sha256:", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_ForbiddenPurpose_ExitsDeniedNamingClause()
    {
        var result = await CliRunner.RunAsync(
            "decide", "--json", "--assume-in-force", "--agreement", Sample("foundation-evaluation"),
            "--recipient", "meridian-ai", "--action", "read-rows", "--dataset", "encyclopedia-corpus",
            "--purpose", "training", "--jurisdiction", "GB", "--time", "2026-06-01T12:00:00Z");

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        Assert.Contains("\"clause\":\"no-training\",\"code\":\"forbidden-by-clause\"", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_WithoutJson_SaysTheEffectTheClauseAndTheDecision()
    {
        var result = await CliRunner.RunAsync(
            "decide", "--assume-in-force", "--agreement", Sample("foundation-evaluation"),
            "--recipient", "meridian-ai", "--action", "read-rows", "--dataset", "encyclopedia-corpus",
            "--purpose", "training", "--jurisdiction", "GB", "--time", "2026-06-01T12:00:00Z");

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        var lines = result.Out.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal("DENY: `meridian-ai` may not read-rows `encyclopedia-corpus` for `training` in GB at 2026-06-01T12:00:00Z", lines[0]);
        Assert.StartsWith("reason", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("forbidden-by-clause", StringComparison.Ordinal) && l.Contains("no-training", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("decision ", StringComparison.Ordinal) && l.EndsWith("; --json prints the record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Decide_UnknownAction_ExitsInvalidWithJsonDiagnostic()
    {
        var result = await CliRunner.RunAsync(
            "decide", "--json", "--assume-in-force", "--error-format", "json", "--agreement", Sample("foundation-evaluation"),
            "--recipient", "meridian-ai", "--action", "delete-everything", "--dataset", "encyclopedia-corpus",
            "--purpose", "evaluation", "--jurisdiction", "GB");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("\"code\":\"POL3003\"", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Decide_InvalidAgreement_ExitsInvalidWithItsDiagnostics()
    {
        var path = Path.Combine(_folder, "broken.yaml");
        await File.WriteAllTextAsync(path, "concordat: 1\nid: [unclosed\n");

        var result = await CliRunner.RunAsync(
            "decide", "--json", "--assume-in-force", "--agreement", path,
            "--recipient", "meridian-ai", "--action", "read-rows", "--dataset", "encyclopedia-corpus",
            "--purpose", "evaluation", "--jurisdiction", "GB");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("AGR", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_MissingAgreementFile_ExitsErrorInOneLine()
    {
        var result = await CliRunner.RunAsync(
            "decide", "--json", "--assume-in-force", "--agreement", Path.Combine(_folder, "nowhere.yaml"),
            "--recipient", "meridian-ai", "--action", "read-rows", "--dataset", "encyclopedia-corpus",
            "--purpose", "evaluation", "--jurisdiction", "GB");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_UnsignedAgreementWithPinnedKeys_DeniesAgreementNotInForce()
    {
        var keys = Path.Combine(_folder, "trusted-keys.txt");
        await File.WriteAllTextAsync(keys, string.Empty);

        var result = await CliRunner.RunAsync(
            "decide", "--json", "--trusted-keys", keys, "--agreement", Sample("foundation-evaluation"),
            "--recipient", "meridian-ai", "--action", "read-rows", "--dataset", "encyclopedia-corpus",
            "--purpose", "evaluation", "--jurisdiction", "GB", "--time", "2026-06-01T12:00:00Z");

        Assert.Equal(ExitCodes.Denied, result.ExitCode);
        Assert.Contains("\"code\":\"agreement-not-in-force\"", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_NeitherTrustedKeysNorAssumeInForce_ExitsInvalid()
    {
        var result = await CliRunner.RunAsync(
            "decide", "--json", "--agreement", Sample("foundation-evaluation"),
            "--recipient", "meridian-ai", "--action", "read-rows", "--dataset", "encyclopedia-corpus",
            "--purpose", "evaluation", "--jurisdiction", "GB");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("CLI1301", result.Error, StringComparison.Ordinal);
    }
}
