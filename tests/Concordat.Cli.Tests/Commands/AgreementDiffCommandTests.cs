using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Cli.Tests.Commands;

public sealed class AgreementDiffCommandTests : IDisposable
{
    private static readonly string s_v1 = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "hospital-research.yaml");
    private static readonly string s_v2 = Path.Combine(AppContext.BaseDirectory, "samples", "amendments", "hospital-research-v2.yaml");
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-diff-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Diff_SampleAmendment_TableOfChangesAndALoudWidening()
    {
        var result = await CliRunner.RunAsync("agreement", "diff", s_v1, s_v2);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("`hospital-research` version 1 → version 2: 4 changes", lines[0]);
        Assert.Matches(@"^class\s+clause\s+aspect\s+change$", lines[1]);
        Assert.Matches(@"^widening\s+research-rows\s+jurisdictions\s+jurisdictions added: `GB`$", lines[2]);
        Assert.Matches(@"^narrowing\s+cohort-statistics\s+minimum group size\s+minimum group size 10 became 20$", lines[4]);
        Assert.StartsWith("WIDENING: the new version grants more", lines[^1], StringComparison.Ordinal);
        Assert.Contains("in GB", lines[^1], StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Diff_Json_SameFactsWithBothDigestsAndTheDiffDigest()
    {
        var result = await CliRunner.RunAsync("agreement", "diff", s_v1, s_v2, "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.True(root.GetProperty("grantsMore").GetBoolean());
        Assert.Equal(4, root.GetProperty("changes").GetArrayLength());
        Assert.Equal(DigestOf(s_v1), root.GetProperty("before").GetProperty("digest").GetString());
        Assert.Equal(DigestOf(s_v2), root.GetProperty("after").GetProperty("digest").GetString());
        Assert.Equal("GB", root.GetProperty("widening").GetProperty("request").GetProperty("jurisdiction").GetString());

        // The digest is over the document without it and the verdict sentence, canonicalised (RFC 8785), so anyone holding both versions recomputes it.
        var withoutDigest = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!.AsObject();
        var digest = withoutDigest["digest"]!.GetValue<string>();
        withoutDigest.Remove("digest");
        withoutDigest.Remove("verdict");
        Assert.Equal(CanonicalJson.Digest(withoutDigest).ToString(), digest);
    }

    [Fact]
    public async Task Diff_SameFile_NoChangesGrantsNothingMore()
    {
        var result = await CliRunner.RunAsync("agreement", "diff", s_v1, s_v1);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        Assert.Contains("0 changes", result.Out, StringComparison.Ordinal);
        Assert.Contains("the new version grants nothing the old one does not", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_TwoDifferentAgreements_Agr3401AndExit3()
    {
        var other = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "redteam-engagement.yaml");

        var result = await CliRunner.RunAsync("agreement", "diff", s_v1, other);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("AGR3401", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diff_InvalidAmendment_ItsDiagnosticsAndExit3()
    {
        var broken = Path.Combine(_folder, "v2.yaml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(s_v2)).Replace("minGroupSize: 20", "minGroupSize: twenty", StringComparison.Ordinal));

        var result = await CliRunner.RunAsync("agreement", "diff", s_v1, broken);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("v2.yaml:", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Theory]
    [InlineData("missing.yaml", null)]
    [InlineData("binary.yaml", "\u0000\u00ff\u00fe{[")]
    [InlineData("list.yaml", "- just\n- a list\n")]
    public async Task Diff_MalformedOrMissingFile_OneErrorNamingItAndNoTrace(string name, string? content)
    {
        var path = Path.Combine(_folder, name);
        if (content is not null)
        {
            await File.WriteAllTextAsync(path, content);
        }

        var result = await CliRunner.RunAsync("agreement", "diff", s_v1, path);

        Assert.NotEqual(ExitCodes.Ok, result.ExitCode);
        Assert.Contains(name, result.Error, StringComparison.Ordinal);
        Assert.Matches(@"(AGR|CLI)\d{4}", result.Error);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public async Task Explain_Amends_ExplainsThenShowsTheDiffAgainstTheVersionInForce()
    {
        var result = await CliRunner.RunAsync("agreement", "explain", s_v2, "--amends", s_v1);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var explained = result.Out.IndexOf("may read rows on `cardiology-records`", StringComparison.Ordinal);
        var diff = result.Out.IndexOf("`hospital-research` version 1 → version 2: 4 changes", StringComparison.Ordinal);
        Assert.True(explained >= 0 && diff > explained, result.Out);
        Assert.Contains("WIDENING: the new version grants more", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_AmendsAnotherAgreement_Agr3401AndNothingSigned()
    {
        var other = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "redteam-engagement.yaml");
        var amendment = Path.Combine(_folder, "v2.yaml");
        File.Copy(s_v2, amendment);

        var result = await CliRunner.RunAsync("agreement", "sign", amendment, "--key", Path.Combine(_folder, "no-key"), "--as", "st-aurelia", "--amends", other);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("AGR3401", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "v2.sigs.json")));
    }

    [Fact]
    public async Task Sign_Amendment_WithAmendsTheWideningBeforeTheSignatureAndWithoutANoteToPassIt()
    {
        var amendment = Path.Combine(_folder, "v2.yaml");
        File.Copy(s_v2, amendment);
        var key = Path.Combine(AppContext.BaseDirectory, "samples", "keys", "northwind-research.key");

        var without = await CliRunner.RunAsync("agreement", "sign", amendment, "--key", key, "--as", "northwind-research");
        var with = await CliRunner.RunAsync("agreement", "sign", amendment, "--key", key, "--as", "northwind-research", "--amends", s_v1);

        Assert.Equal(ExitCodes.Ok, without.ExitCode);
        Assert.Contains("note: `hospital-research` version 2 amends an earlier version: pass `--amends IN-FORCE`", without.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, with.ExitCode);
        Assert.Equal(string.Empty, with.Error);
        var widening = with.Out.IndexOf("WIDENING: the new version grants more", StringComparison.Ordinal);
        Assert.True(widening >= 0 && widening < with.Out.IndexOf("signed `hospital-research` version 2", StringComparison.Ordinal), with.Out);
    }

    private static string DigestOf(string path) => AgreementDigest.Compute(AgreementReader.Read(File.ReadAllText(path), path).Agreement!).ToString();
}
