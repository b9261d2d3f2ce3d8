using System.Text.Json.Nodes;
using Concordat.Testing;

namespace Concordat.Cli.Tests.Commands;

/// <summary>
/// <c>concordat artifact register|list</c> and <c>concordat compliance check|checklists</c> on a quickstart workspace
/// (hospital-research: EU and healthcare, so the EU AI Act and GDPR apply).
/// </summary>
public sealed class ComplianceCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-compliance-").FullName;

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    [Fact]
    public async Task RegisterListCheck_QuickstartWorkspace_ItemsSatisfiedByTheRegisteredArtifactsAndTheLog()
    {
        var served = await QuickstartServer.RunAsync(_workspace, () => Task.CompletedTask);
        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace)).ExitCode);
        var key = Path.Combine(RepositoryRoot.Find(), "samples", "keys", "st-aurelia.key");
        var dpia = Path.Combine(_workspace, "dpia.pdf");
        await File.WriteAllTextAsync(dpia, "impact assessment");
        var roadmap = Path.Combine(_workspace, "validation.pdf");
        await File.WriteAllTextAsync(roadmap, "validation report");

        var before = await CliRunner.RunAsync("compliance", "check", "hospital-research", "--workspace", _workspace, "--json", "--at", "2026-06-01T00:00:00Z");
        var registered = await CliRunner.RunAsync("artifact", "register", "--workspace", _workspace, "--agreement", "hospital-research", "--kind", "records-of-processing", "--file", dpia, "--key", key, "--as", "st-aurelia", "--at", "2026-05-01T00:00:00Z", "--json");
        var expired = await CliRunner.RunAsync("artifact", "register", "--workspace", _workspace, "--agreement", "hospital-research", "--kind", "validation-report", "--file", roadmap, "--key", key, "--at", "2026-01-01T00:00:00Z", "--expires", "2026-03-01T00:00:00Z");
        var badKind = await CliRunner.RunAsync("artifact", "register", "--workspace", _workspace, "--agreement", "hospital-research", "--kind", "DPIA!", "--file", dpia, "--key", key);
        var list = await CliRunner.RunAsync("artifact", "list", "--workspace", _workspace, "--json");
        var table = await CliRunner.RunAsync("artifact", "list", "--workspace", _workspace);
        var after = await CliRunner.RunAsync("compliance", "check", "hospital-research", "--workspace", _workspace, "--json", "--at", "2026-06-01T00:00:00Z");
        var human = await CliRunner.RunAsync("compliance", "check", "hospital-research", "--workspace", _workspace, "--at", "2026-06-01T00:00:00Z");
        var verified = await CliRunner.RunAsync("log", "verify", "--workspace", _workspace);
        var unknown = await CliRunner.RunAsync("compliance", "check", "no-such-agreement", "--workspace", _workspace);

        Assert.True(registered.ExitCode == ExitCodes.Ok, registered.Error);
        var registration = JsonNode.Parse(registered.Out)!;
        Assert.Equal(Core.Sha256Digest.Compute("impact assessment"u8).ToString(), registration["digest"]!.GetValue<string>());
        Assert.True(registration["logIndex"]!.GetValue<long>() > 0);
        Assert.True(expired.ExitCode == ExitCodes.Ok, expired.Error);
        Assert.Equal(ExitCodes.Invalid, badKind.ExitCode);
        Assert.StartsWith("error CLI1960", badKind.Error, StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(list.Out)!.AsArray().Count);
        Assert.Contains("records-of-processing", table.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Denied, after.ExitCode);
        Assert.Equal(ExitCodes.Denied, before.ExitCode);
        Assert.Equal("missing", Item(before.Out, "gdpr-records-of-processing")["status"]!.GetValue<string>());
        var records = Item(after.Out, "gdpr-records-of-processing");
        Assert.Equal("satisfied", records["status"]!.GetValue<string>());
        Assert.Equal(registration["digest"]!.GetValue<string>(), records["artifact"]!["digest"]!.GetValue<string>());
        Assert.StartsWith("st-aurelia+", records["artifact"]!["signedBy"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("expired", Item(after.Out, "eu-ai-act-accuracy-robustness")["status"]!.GetValue<string>());
        Assert.Equal("satisfied", Item(after.Out, "gdpr-accountability-log")["status"]!.GetValue<string>());
        Assert.Equal("satisfied", Item(after.Out, "gdpr-security")["status"]!.GetValue<string>());
        Assert.Equal("satisfied", Item(after.Out, "gdpr-consent-enforced")["status"]!.GetValue<string>());
        Assert.Equal("satisfied", Item(after.Out, "gdpr-dpia")["status"]!.GetValue<string>());
        Assert.True(Item(after.Out, "gdpr-dpia")["artifact"]!["declared"]!.GetValue<bool>());
        Assert.Contains("EXPIRED", human.Out, StringComparison.Ordinal);
        Assert.Contains("gdpr v1", human.Out, StringComparison.Ordinal);
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Error);
        Assert.Equal(ExitCodes.Error, unknown.ExitCode);
        Assert.StartsWith("error EVD8014", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checklists_Json_ListsEveryRegimeWithItsItems()
    {
        var result = await CliRunner.RunAsync("compliance", "checklists", "--json");
        var hipaa = await CliRunner.RunAsync("compliance", "checklists", "--regime", "hipaa");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        var regimes = JsonNode.Parse(result.Out)!.AsArray();
        Assert.Equal(["eu-ai-act", "finance-mrm", "gdpr", "hipaa", "uk-gdpr", "us"], regimes.Select(r => r!["regime"]!.GetValue<string>()));
        Assert.All(regimes, r => Assert.True(r!["items"]!.AsArray().Count >= 10));
        Assert.Contains("hipaa-deidentification-expert", hipaa.Out, StringComparison.Ordinal);
        Assert.Contains("45 CFR 164.514(b)(1)", hipaa.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("gdpr-dpia", hipaa.Out, StringComparison.Ordinal);
    }

    private static JsonNode Item(string report, string id) =>
        JsonNode.Parse(report)!["regimes"]!.AsArray().SelectMany(r => r!["items"]!.AsArray()).Single(i => i!["id"]!.GetValue<string>() == id)!;
}
