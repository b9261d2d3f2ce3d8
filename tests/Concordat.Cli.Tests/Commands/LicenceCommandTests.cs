using System.Text.Json.Nodes;

namespace Concordat.Cli.Tests.Commands;

public sealed class LicenceCommandTests
{
    [Fact]
    public async Task Check_ValidExpression_PrintsTheCanonicalFormAndTree()
    {
        var result = await CliRunner.RunAsync("licence", "check", "mit or apache-2.0 and cc-by-4.0");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "MIT OR Apache-2.0 AND CC-BY-4.0\n  OR\n    MIT (permissive)\n    AND\n      Apache-2.0 (permissive)\n      CC-BY-4.0 (open data, attribution)\n",
            result.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Check_UnknownIdAsJson_IsInvalidWithTheClosest()
    {
        var result = await CliRunner.RunAsync("licence", "check", "--json", "--error-format", "json", "Apache2");

        Assert.Equal(3, result.ExitCode);
        Assert.False(JsonNode.Parse(result.Out)!["valid"]!.GetValue<bool>());
        var diagnostic = JsonNode.Parse(result.Error)!["diagnostics"]![0]!;
        Assert.Equal(("PRV5101", "did you mean `Apache-2.0`?"), (diagnostic["code"]!.GetValue<string>(), diagnostic["help"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Compat_NonCommercialInputForCommercialUse_IsDenied()
    {
        var result = await CliRunner.RunAsync("licence", "compat", "--json", "--model", "Apache-2.0", "--use", "commercial", "--input", "census@2024-06=CC-BY-NC-4.0");

        var document = JsonNode.Parse(result.Out)!;
        Assert.Equal(2, result.ExitCode);
        Assert.False(document["compatible"]!.GetValue<bool>());
        Assert.Equal(["PRV5110", "PRV5115"], document["findings"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()));
        Assert.Equal("licence `CC-BY-NC-4.0`", document["attributions"]![0]!["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Compat_DatasetOfAnAgreement_TakesItsLicenceAndAttribution()
    {
        var agreement = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "foundation-evaluation.yaml");

        var result = await CliRunner.RunAsync("licence", "compat", "--model", "CC-BY-SA-4.0", "--use", "research", "--agreement", agreement, "--input", "encyclopedia-corpus");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("compatible\nattribution: encyclopedia-corpus: licence `CC-BY-SA-4.0`: Evaluation data", result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compat_MalformedInput_IsCli1730()
    {
        var result = await CliRunner.RunAsync("licence", "compat", "--model", "MIT", "--use", "research", "--input", "no-such-dataset");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("CLI1730", result.Error, StringComparison.Ordinal);
    }
}
