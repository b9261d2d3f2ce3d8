using System.Text.Json.Nodes;
using Concordat.Crypto;
using Concordat.Testing.Log;

namespace Concordat.Cli.Tests.Commands;

public sealed class DiligenceCommandTests : IDisposable
{
    private static readonly string s_questionnaire = Path.Combine(AppContext.BaseDirectory, "samples", "diligence", "questionnaire.yaml");
    private static readonly string s_answers = Path.Combine(AppContext.BaseDirectory, "samples", "diligence", "answers-cloudlab-compute.yaml");
    private static readonly NoteSignerKey s_assessor = LogTestData.CreateKey("st-aurelia-security", 11);
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-diligence-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Score_SampleAnswers_TableOfEverySectionAndPassed()
    {
        var result = await CliRunner.RunAsync("diligence", "score", s_questionnaire, s_answers);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        Assert.Matches(@"security-posture\s+87\.5\s+70\s+passed", result.Out);
        Assert.Matches(@"overall\s+85\.7\s+75\s+passed", result.Out);
    }

    [Fact]
    public async Task Score_SectionBelowMinimum_Cli1984NamingIt()
    {
        var answers = await WriteAsync("answers.yaml", (await File.ReadAllTextAsync(s_answers)).Replace("cc-1: \"yes\"", "cc-1: \"no\"", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("diligence", "score", s_questionnaire, answers, "--json");

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.False(JsonNode.Parse(result.Out)!["passed"]!.GetValue<bool>());
        Assert.Contains("CLI1984", result.Error, StringComparison.Ordinal);
        Assert.Contains("`cryptographic-controls` minimum 80 (scored 50.0)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MalformedQuestionnaire_OneClearErrorExit3()
    {
        var questionnaire = await WriteAsync("questionnaire.yaml", (await File.ReadAllTextAsync(s_questionnaire)).Replace("minimum: 80", "minimum: high", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("diligence", "score", questionnaire, s_answers);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("AGR3551", result.Error, StringComparison.Ordinal);
        Assert.Contains("`minimum` is not an integer from 0 to 100", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignThenVerify_RequirementMetOrExpired_AndChangedAnswersDetected()
    {
        var key = await WriteAsync("assessor.key", NoteKey.FormatSignerKey(s_assessor.Name, s_assessor.PrivateKey) + "\n");
        var record = Path.Combine(_folder, "record.intoto.json");
        var pub = s_assessor.VerifierKey.ToString()!;
        var changed = await WriteAsync("answers.yaml", (await File.ReadAllTextAsync(s_answers)).Replace("fs-2: \"no\"", "fs-2: \"yes\"", StringComparison.Ordinal));

        var signed = await CliRunner.RunAsync("diligence", "sign", s_questionnaire, s_answers, "--key", key, "--assessor", "st-aurelia-security", "--at", "2026-05-01T09:00:00Z", "--out", record);
        var fresh = await CliRunner.RunAsync("diligence", "verify", record, "--key", pub, "--questionnaire", s_questionnaire, "--answers", s_answers, "--max-age-days", "90", "--min-score", "80", "--at", "2026-06-01T00:00:00Z");
        var expired = await CliRunner.RunAsync("diligence", "verify", record, "--key", pub, "--max-age-days", "30", "--at", "2026-06-01T00:00:00Z");
        var tooLow = await CliRunner.RunAsync("diligence", "verify", record, "--key", pub, "--min-score", "90", "--at", "2026-06-01T00:00:00Z");
        var otherAnswers = await CliRunner.RunAsync("diligence", "verify", record, "--key", pub, "--questionnaire", s_questionnaire, "--answers", changed);
        var otherKey = await CliRunner.RunAsync("diligence", "verify", record, "--key", LogTestData.CreateKey("st-aurelia-security", 12).VerifierKey.ToString()!);

        Assert.True(signed.ExitCode == ExitCodes.Ok, signed.Error);
        Assert.True(fresh.ExitCode == ExitCodes.Ok, fresh.Error);
        Assert.Contains("verified: `cloudlab-compute` scored 85.7", fresh.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, expired.ExitCode);
        Assert.Contains("CLI1986", expired.Error, StringComparison.Ordinal);
        Assert.Contains("more than 30 day(s)", expired.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Error, tooLow.ExitCode);
        Assert.Contains("below 90.0", tooLow.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, otherAnswers.ExitCode);
        Assert.Contains("CLI1985", otherAnswers.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, otherKey.ExitCode);
        Assert.Contains("PRV5003", otherKey.Error, StringComparison.Ordinal);
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }
}
