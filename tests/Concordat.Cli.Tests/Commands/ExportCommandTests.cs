using System.Text.Json.Nodes;
using Concordat.Testing.Peers;

namespace Concordat.Cli.Tests.Commands;

/// <summary><c>concordat export</c> on a quickstart workspace: what the export holds, checked by readers that are not the exporter.</summary>
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("concordat-export-").FullName;
    private readonly string _out = Path.Combine(Path.GetTempPath(), "concordat-export-out-" + Guid.NewGuid().ToString("N"));
    private readonly string _restored = Path.Combine(Path.GetTempPath(), "concordat-export-restored-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Directory.Delete(_workspace, recursive: true);
        foreach (var folder in new[] { _out, _restored })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
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

    [Fact]
    public async Task Import_ExportOfAQuickstartWorkspace_RebuildsTheSameLogRootAndDatasetsAndEachPartVerifies()
    {
        var served = await QuickstartServer.RunAsync(_workspace, () => Task.CompletedTask);
        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace)).ExitCode);
        var exported = await CliRunner.RunAsync("export", "--workspace", _workspace, "--out", _out, "--json");
        Assert.True(exported.ExitCode == ExitCodes.Ok, exported.Error);

        var imported = await CliRunner.RunAsync("import", "--from", _out, "--workspace", _restored, "--log-key", Path.Combine(_workspace, "log.pub"), "--json");
        var again = await CliRunner.RunAsync("import", "--from", _out, "--workspace", _restored);
        var notAnExport = await CliRunner.RunAsync("import", "--from", _workspace, "--workspace", _restored + "-other");
        var tiles = await CliRunner.RunAsync("log", "verify", "--url", Path.Combine(_out, "log", "tiles"), "--log-key", Path.Combine(_workspace, "log.pub"), "--full");
        var signatures = await CliRunner.RunAsync("agreement", "verify", Path.Combine(_out, "agreements", "hospital-research", "v1.yaml"), "--trusted-keys", Path.Combine(_workspace, "trusted-keys"));
        var restoredLog = await CliRunner.RunAsync("log", "verify", "--workspace", _restored);
        var reexport = Path.Combine(_restored, "log.export.ndjson");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("log", "export", "--workspace", _restored, "--out", reexport)).ExitCode);

        Assert.True(imported.ExitCode == ExitCodes.Ok, imported.Error);
        Assert.StartsWith("error CLI1803", again.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, notAnExport.ExitCode);
        Assert.StartsWith("error CLI1802", notAnExport.Error, StringComparison.Ordinal);
        Assert.True(tiles.ExitCode == ExitCodes.Ok, tiles.Error);
        Assert.True(signatures.ExitCode == ExitCodes.Ok, signatures.Error + signatures.Out);
        Assert.True(restoredLog.ExitCode == ExitCodes.Ok, restoredLog.Error);
        var header = JsonNode.Parse(File.ReadLines(Path.Combine(_out, "log", "log-export.json")).First())!;
        var restoredHeader = JsonNode.Parse(File.ReadLines(reexport).First())!;
        Assert.Equal(header["treeSize"]!.GetValue<long>(), restoredHeader["treeSize"]!.GetValue<long>());
        Assert.Equal(header["rootHash"]!.GetValue<string>(), restoredHeader["rootHash"]!.GetValue<string>());
        foreach (var file in new[] { "rows.ndjson", "manifest.json" })
        {
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(_workspace, "datasets", "cardiology-records", "1", file)), await File.ReadAllBytesAsync(Path.Combine(_restored, "datasets", "cardiology-records", "1", file)));
        }

        var attestations = Directory.GetFiles(Path.Combine(_out, "attestations"), "*.json", SearchOption.AllDirectories);
        Assert.NotEmpty(attestations);
        Assert.All(attestations, a => Assert.True(File.Exists(Path.Combine(_restored, "attestations", Path.GetRelativePath(Path.Combine(_out, "attestations"), a)))));
        Assert.Contains("concordat-agreement-signatures/v1", await File.ReadAllTextAsync(Path.Combine(_out, "agreements", "hospital-research", "v1.sigs.json")), StringComparison.Ordinal);
        Assert.Contains("## Verifying each part", await File.ReadAllTextAsync(Path.Combine(_out, "README.md")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_restored + ".partial"));
    }
}
