using System.Text.Json.Nodes;
using Concordat.Agreements;

namespace Concordat.Cli.Tests.Commands;

public sealed class AgreementExportCommandTests : IDisposable
{
    private static readonly string s_hospital = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "hospital-research.yaml");
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-export-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Export_Odrl_WritesThePolicyAndNotesWhatOdrlCannotExpress()
    {
        var path = Path.Combine(_folder, "hospital.odrl.jsonld");

        var result = await CliRunner.RunAsync("agreement", "export", s_hospital, "--format", "odrl", "--out", path);

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var policy = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.Equal("Agreement", policy["@type"]!.GetValue<string>());
        Assert.Equal("urn:concordat:agreement:hospital-research:1", policy["uid"]!.GetValue<string>());
        Assert.Equal(2, policy["permission"]!.AsArray().Count);
        Assert.Contains("note: not in the ODRL policy: grant `research-rows`: the rate limit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_Json_IsTheCanonicalJsonTheDigestIsComputedOver()
    {
        var result = await CliRunner.RunAsync("agreement", "export", s_hospital, "--format", "json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var agreement = AgreementReader.Read(await File.ReadAllTextAsync(s_hospital), s_hospital).Agreement!;
        Assert.Equal(System.Text.Encoding.UTF8.GetString(AgreementDigest.CanonicalBytes(agreement)), result.Out.TrimEnd('\n'));
    }

    [Fact]
    public async Task Export_UnknownFormat_Exit3AndNothingWritten()
    {
        var path = Path.Combine(_folder, "out.txt");

        var result = await CliRunner.RunAsync("agreement", "export", s_hospital, "--format", "xacml", "--out", path);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("xacml", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }
}
