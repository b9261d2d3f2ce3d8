using System.Text.Json.Nodes;
using Concordat.Testing.Peers;

namespace Concordat.Cli.Tests.Commands;

/// <summary><c>concordat export</c> on a quickstart workspace: what the export holds, checked by readers that are not the exporter.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-export-").FullName;
    private readonly string _out = Path.Combine(Path.GetTempPath(), "concordat-export-out-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Directory.Delete(_workspace, recursive: true);
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    [Fact]
    public async Task Export_QuickstartWorkspace_WritesOpenFormatsThatVerifyAloneAndNeverOverwrites()
    {
        var served = await QuickstartServer.RunAsync(_workspace, () => Task.CompletedTask);
        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace)).ExitCode);

        var exported = await CliRunner.RunAsync("export", "--workspace", _workspace, "--out", _out, "--json");
        Assert.True(exported.ExitCode == ExitCodes.Ok, exported.Error);
        var again = await CliRunner.RunAsync("export", "--workspace", _workspace, "--out", _out);
        var verified = await CliRunner.RunAsync("log", "verify", "--bundle", Path.Combine(_out, "log", "log-export.json"), "--log-key", Path.Combine(_workspace, "log.pub"));
        var summary = JsonNode.Parse(exported.Out)!;
        var agreements = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "agreements.json")))!.AsArray();
        var identities = await File.ReadAllTextAsync(Path.Combine(_out, "identities.json"));
        var rows = ParquetRead.HyparquetFile(Path.Combine(_out, "datasets", "cardiology-records", "v1", "rows.parquet"));

        Assert.Equal(ExitCodes.Error, again.ExitCode);
        Assert.StartsWith("error CLI1801", again.Error, StringComparison.Ordinal);
        Assert.True(verified.ExitCode == ExitCodes.Ok, verified.Error);
        Assert.Equal("hospital-research", agreements[0]!["agreement"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(_out, "agreements", "hospital-research", "v1.yaml")));
        Assert.Contains("cid_", identities, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", identities, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cds_", identities, StringComparison.Ordinal);
        Assert.Equal(1000, rows.Rows.Count);
        Assert.Equal("patient_id", rows.Columns[0].Name);
        Assert.True(File.Exists(Path.Combine(_out, "datasets", "cardiology-records", "v1", "manifest.json")));
        Assert.True(File.Exists(Path.Combine(_out, "README.md")));
        Assert.True(summary["logEntries"]!.GetValue<long>() > 0);
        Assert.False(Directory.Exists(_out + ".partial"));
    }
}
