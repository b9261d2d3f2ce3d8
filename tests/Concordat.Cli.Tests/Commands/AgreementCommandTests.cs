using System.Text.Json;
using Concordat.Agreements.Signatures;
using Concordat.Core;

namespace Concordat.Cli.Tests.Commands;

public sealed class AgreementCommandTests : IDisposable
{
    private const string DemoInstant = "2026-11-21T00:00:00Z";
    private static readonly string s_samples = Path.Combine(AppContext.BaseDirectory, "samples");
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-agreement-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Validate_Samples_ExitsOkAndNamesEachDigest()
    {
        var files = Directory.GetFiles(Path.Combine(s_samples, "agreements"), "*.yaml");

        var result = await CliRunner.RunAsync(["agreement", "validate", .. files]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Equal(files.Length, result.Out.Split('\n').Count(l => l.Contains(": valid: ", StringComparison.Ordinal)));
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Lint_Sample_ExitsOkWithNoWarnings()
    {
        var result = await CliRunner.RunAsync("agreement", "lint", Path.Combine(s_samples, "agreements", "hospital-research.yaml"), "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal("hospital-research", json.RootElement.GetProperty("agreement").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task Lint_ProcessorWithoutController_ExitsErrorNamingCodeAndClause()
    {
        var text = File.ReadAllText(Path.Combine(s_samples, "agreements", "hospital-research.yaml"))
            .Replace("    breachContact: security@northwind.example\n", "    breachContact: security@northwind.example\n    dataRoles: { research: processor }\n", StringComparison.Ordinal);
        var path = Write("roles.yaml", text);

        var json = await CliRunner.RunAsync("agreement", "lint", path, "--json");
        var human = await CliRunner.RunAsync("agreement", "lint", path);

        Assert.Equal(ExitCodes.Error, json.ExitCode);
        using var report = JsonDocument.Parse(json.Out);
        var warnings = report.RootElement.GetProperty("warnings").EnumerateArray().Select(w => (w.GetProperty("code").GetString(), w.GetProperty("clause").GetString())).ToList();
        Assert.Equal([("AGR3020", "research-rows"), ("AGR3020", "cohort-statistics")], warnings);
        Assert.Equal(ExitCodes.Error, human.ExitCode);
        Assert.Contains("warning[AGR3020]: clause `research-rows`: party `northwind-research` is only the processor for purpose `research`", human.Error, StringComparison.Ordinal);
        Assert.EndsWith(": `hospital-research` version 1: 2 warning(s)\n", human.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ProcessorWithoutController_PrintsTheRoleWarningsWithTheirPlaceAndExitsOk()
    {
        var text = File.ReadAllText(Path.Combine(s_samples, "agreements", "hospital-research.yaml"))
            .Replace("    breachContact: security@northwind.example\n", "    breachContact: security@northwind.example\n    dataRoles: { research: processor }\n", StringComparison.Ordinal);
        var path = Write("roles.yaml", text);
        var line = Array.IndexOf(text.Split('\n'), "    purposes: [research]") + 1;

        var result = await CliRunner.RunAsync("agreement", "validate", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains($"warning[AGR3020]: clause `research-rows`: party `northwind-research` is only the processor for purpose `research`", result.Error, StringComparison.Ordinal);
        Assert.Contains($"  --> {path}:{line}:16\n", result.Error, StringComparison.Ordinal);
        Assert.Contains(": valid: `hospital-research` version 1", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_BrokenDocument_ExitsInvalidWithRenderedSnippet()
    {
        var path = Write("broken.yaml", "concordat: 1\nid: x\nversion: one\n");

        var result = await CliRunner.RunAsync("agreement", "validate", path);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains($"error[AGR2002]: `version` must be an integer, found a string\n  --> {path}:3:10\n", result.Error, StringComparison.Ordinal);
        Assert.Contains("3 | version: one\n  |          ^^^\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_JsonErrorFormat_PrintsTheLibraryDiagnostics()
    {
        var path = Write("broken.yaml", "concordat: 1\nid: x\nversion: one\n");

        var result = await CliRunner.RunAsync("agreement", "validate", path, "--error-format", "json");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        using var json = JsonDocument.Parse(result.Error);
        var codes = json.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()!).ToList();
        var expected = Concordat.Agreements.AgreementReader.Read(File.ReadAllText(path), path).Diagnostics.Select(d => d.Code).ToList();
        Assert.Equal(expected, codes);
    }

    [Fact]
    public async Task Validate_MissingFile_OneLineAndErrorExit()
    {
        var result = await CliRunner.RunAsync("agreement", "validate", Path.Combine(_folder, "nope.yaml"));

        Assert.Equal(ExitCodes.Error, result.ExitCode);
        Assert.Contains("CLI1101", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_Sample_MatchesTheSignedDigest()
    {
        var path = Path.Combine(s_samples, "agreements", "hospital-research.yaml");

        var result = await CliRunner.RunAsync("agreement", "digest", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", result.Out);
        Assert.Contains(result.Out.Trim(), File.ReadAllText(Path.Combine(s_samples, "agreements", "hospital-research.sigs.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Samples_AreFullySignedWithPinnedKeys()
    {
        foreach (var path in Directory.GetFiles(Path.Combine(s_samples, "agreements"), "*.yaml"))
        {
            var result = await CliRunner.RunAsync("agreement", "verify", path, "--trusted-keys", Path.Combine(s_samples, "trusted-keys.txt"));

            Assert.True(result.ExitCode == ExitCodes.Ok, result.Out + result.Error);
            Assert.Contains("is signed by every party and approver", result.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SignThenVerify_OneOfTwoSigners_FailsVerificationThenPasses()
    {
        var (agreement, trusted) = await CopyFoundationSampleAsync();

        var first = await CliRunner.RunAsync("agreement", "sign", agreement, "--as", "open-knowledge", "--key", Path.Combine(s_samples, "keys", "open-knowledge.key"));
        var partly = await CliRunner.RunAsync("agreement", "verify", agreement, "--trusted-keys", trusted);
        await CliRunner.RunAsync("agreement", "sign", agreement, "--as", "meridian-ai", "--key", Path.Combine(s_samples, "keys", "meridian-ai.key"));
        var full = await CliRunner.RunAsync("agreement", "verify", agreement, "--trusted-keys", trusted);

        Assert.Equal(ExitCodes.Ok, first.ExitCode);
        Assert.Equal(ExitCodes.VerificationFailed, partly.ExitCode);
        Assert.Contains("FAILED  party `meridian-ai`: has not signed", partly.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, full.ExitCode);
    }

    [Fact]
    public async Task Sign_AsSomeoneWhoIsNoSigner_ExitsInvalid()
    {
        var (agreement, _) = await CopyFoundationSampleAsync();

        var result = await CliRunner.RunAsync("agreement", "sign", agreement, "--as", "mallory", "--key", Path.Combine(s_samples, "keys", "meridian-ai.key"));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("CLI1102", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_WithAKeyTheDocumentDoesNotName_ExitsInvalid()
    {
        var (agreement, _) = await CopyFoundationSampleAsync();

        var result = await CliRunner.RunAsync("agreement", "sign", agreement, "--as", "meridian-ai", "--key", Path.Combine(s_samples, "keys", "open-knowledge.key"));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("CLI1104", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Samples_AreInForceAtTheDemoInstant()
    {
        var files = Directory.GetFiles(Path.Combine(s_samples, "agreements"), "*.yaml");

        var result = await CliRunner.RunAsync(["agreement", "status", .. files, "--trusted-keys", Path.Combine(s_samples, "trusted-keys.txt"), "--at", DemoInstant, "--json"]);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(files.Length, json.RootElement.GetArrayLength());
        Assert.All(json.RootElement.EnumerateArray(), s => Assert.Equal("in-force", s.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Status_AfterTermination_IsTerminated()
    {
        var (agreement, trusted) = await CopyFoundationSampleAsync(signed: true);

        var today = new DateTimeOffset(TimeProvider.System.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var effective = Rfc3339.Format(today.AddDays(32));
        var after = Rfc3339.Format(today.AddDays(33));

        var terminate = await CliRunner.RunAsync("agreement", "terminate", agreement, "--as", "meridian-ai", "--key", Path.Combine(s_samples, "keys", "meridian-ai.key"), "--at", effective);
        var result = await CliRunner.RunAsync("agreement", "status", agreement, "--trusted-keys", trusted, "--at", after);

        Assert.Equal(ExitCodes.Ok, terminate.ExitCode);
        Assert.Contains("terminated: `foundation-evaluation` version 1", result.Out, StringComparison.Ordinal);
        Assert.Contains($"since {effective}", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(29)]
    public async Task Terminate_BeforeTheNoticePeriodEnds_IsRefusedAndWritesNothing(int days)
    {
        var (agreement, _) = await CopyFoundationSampleAsync(signed: true);

        var terminate = await CliRunner.RunAsync("agreement", "terminate", agreement, "--as", "meridian-ai", "--key", Path.Combine(s_samples, "keys", "meridian-ai.key"), "--at", Rfc3339.Format(TimeProvider.System.GetUtcNow().AddDays(days)));

        Assert.Equal(ExitCodes.Invalid, terminate.ExitCode);
        Assert.Contains("AGR3110", terminate.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(TerminationFile.PathFor(agreement)));
    }

    [Fact]
    public async Task Status_Unsigned_IsDraft()
    {
        var (agreement, trusted) = await CopyFoundationSampleAsync();

        var result = await CliRunner.RunAsync("agreement", "status", agreement, "--trusted-keys", trusted, "--at", DemoInstant);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("draft: `foundation-evaluation`", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_BadInstant_ExitsInvalid()
    {
        var (agreement, trusted) = await CopyFoundationSampleAsync();

        var result = await CliRunner.RunAsync("agreement", "status", agreement, "--trusted-keys", trusted, "--at", "tomorrow");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("CLI1105", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Hospital_SaysWhoMayDoWhatWithObligations()
    {
        var result = await CliRunner.RunAsync("agreement", "explain", Path.Combine(s_samples, "agreements", "hospital-research.yaml"));

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("Northwind Research Institute B.V. (`northwind-research`) may read rows on `cardiology-records` for `research`", result.Out, StringComparison.Ordinal);
        Assert.Contains("pseudonymise `patient_id`", result.Out, StringComparison.Ordinal);
        Assert.Contains("processed only in DE and NL", result.Out, StringComparison.Ordinal);
        Assert.Contains("A breach must be notified within 72 hours", result.Out, StringComparison.Ordinal);
        Assert.Contains("Nobody may re-identify anyone", result.Out, StringComparison.Ordinal);
    }

    private async Task<(string Agreement, string Trusted)> CopyFoundationSampleAsync(bool signed = false)
    {
        var agreement = Path.Combine(_folder, "foundation.yaml");
        File.Copy(Path.Combine(s_samples, "agreements", "foundation-evaluation.yaml"), agreement);
        if (signed)
        {
            File.Copy(Path.Combine(s_samples, "agreements", "foundation-evaluation.sigs.json"), Path.Combine(_folder, "foundation.sigs.json"));
        }

        var trusted = Path.Combine(_folder, "trusted.txt");
        await File.WriteAllTextAsync(trusted, await File.ReadAllTextAsync(Path.Combine(s_samples, "trusted-keys.txt")));
        return (agreement, trusted);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
