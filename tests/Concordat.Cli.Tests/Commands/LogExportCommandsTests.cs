using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Concordat.Cli.Tests.Commands;

public sealed class LogExportCommandsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("concordat-cli-export-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Workspace => Path.Combine(_root, "ws");

    private string Export => Path.Combine(_root, "log.export.ndjson");

    private string LogKey => Path.Combine(_root, "log.pub");

    [Fact]
    public async Task Export_ThenVerifyOfflineWithNoWorkspace_VerifiesUpToTheLatestCheckpoint()
    {
        await CreateExportAsync();

        var verify = await CliRunner.RunAsync("log", "verify", "--bundle", Export, "--log-key", LogKey, "--json");

        Assert.Equal(0, verify.ExitCode);
        var summary = JsonNode.Parse(verify.Out)!;
        Assert.Equal(7, summary["treeSize"]!.GetValue<long>());
        Assert.Equal(3, summary["checkpoints"]!.GetValue<long>());
        Assert.True(summary["historySigned"]!.GetValue<bool>());
        Assert.False(File.Exists(Export + ".partial"));
    }

    [Theory]
    [InlineData("entry", "LOG4107")]
    [InlineData("checkpoint signature", "LOG4106")]
    [InlineData("consistency proof", "LOG4131")]
    [InlineData("history record", "LOG4114")]
    [InlineData("header root", "LOG4131")]
    [InlineData("final digest", "LOG4131")]
    [InlineData("json", "LOG4130")]
    [InlineData("cut short", "LOG4131")]
    public async Task VerifyBundle_OneByteChanged_IsFoundWithItsCode(string where, string code)
    {
        await CreateExportAsync();
        var lines = (await File.ReadAllTextAsync(Export)).Split('\n')[..^1];

        switch (where)
        {
            case "entry":
                lines[^3] = ChangeString(lines[^3], "entry", 8);
                break;
            case "checkpoint signature":
                lines[2] = ChangeString(lines[2], "checkpoint", -10);
                break;
            case "consistency proof":
                var line = JsonNode.Parse(lines[3])!;
                var proof = line["consistency"]![0]!.GetValue<string>();
                line["consistency"]![0] = Flip(proof, 3);
                lines[3] = line.ToJsonString();
                break;
            case "history record":
                lines[4] = ChangeString(lines[4], "history", -10);
                break;
            case "header root":
                lines[0] = ChangeString(lines[0], "rootHash", 2);
                break;
            case "final digest":
                lines[^1] = lines[^1].Replace("\"sha256\":\"", "\"sha256\":\"0", StringComparison.Ordinal).Remove(lines[^1].Length - 3, 1);
                break;
            case "json":
                lines[5] = lines[5].Replace("\"index\"", "\"indey\"", StringComparison.Ordinal);
                break;
            default:
                lines = lines[..^2];
                break;
        }

        await File.WriteAllTextAsync(Export, string.Join('\n', lines) + "\n");
        var verify = await CliRunner.RunAsync("log", "verify", "--bundle", Export, "--log-key", LogKey);

        Assert.Equal(4, verify.ExitCode);
        Assert.Contains($"{code}: `{Export}`: line ", verify.Error, StringComparison.Ordinal);
        Assert.Single(verify.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("  help", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyBundle_WithoutAPinnedKeyOrWithAWorkspace_IsRefused()
    {
        await CreateExportAsync();

        var noKey = await CliRunner.RunAsync("log", "verify", "--bundle", Export);
        var both = await CliRunner.RunAsync("log", "verify", "--bundle", Export, "--log-key", LogKey, "--workspace", Workspace);

        Assert.Equal((3, 3), (noKey.ExitCode, both.ExitCode));
        Assert.Contains("LOG4012", noKey.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_LogWithoutACheckpoint_IsRefusedAndLeavesNoFile()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("log", "init", "--workspace", Workspace)).ExitCode);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(Workspace, "log.db")};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM log_checkpoints";
            command.ExecuteNonQuery();
        }

        var export = await CliRunner.RunAsync("log", "export", "--workspace", Workspace, "--out", Export);

        Assert.Equal(4, export.ExitCode);
        Assert.Contains("LOG4132", export.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Export));
        Assert.False(File.Exists(Export + ".partial"));
    }

    // Replaces the character at `at` (from the end when negative) of a string member by another base64 character.
    private static string ChangeString(string jsonLine, string member, int at)
    {
        var line = JsonNode.Parse(jsonLine)!;
        var value = line[member]!.GetValue<string>();
        line[member] = Flip(value, at < 0 ? value.Length + at : at);
        return line.ToJsonString();
    }

    private static string Flip(string value, int at) =>
        string.Concat(value.AsSpan(0, at), value[at] == 'A' ? "B" : "A", value.AsSpan(at + 1));

    // A log of 8 entries with checkpoints at 0 (init), 5 and 7, exported: the 8th entry is not yet signed.
    private async Task CreateExportAsync()
    {
        Assert.Equal(0, (await CliRunner.RunAsync("log", "init", "--workspace", Workspace, "--origin", "log.example.org")).ExitCode);
        await AppendAsync(5);
        Assert.Equal(0, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", Workspace)).ExitCode);
        await AppendAsync(2);
        Assert.Equal(0, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", Workspace)).ExitCode);
        await AppendAsync(1);

        var export = await CliRunner.RunAsync("log", "export", "--workspace", Workspace, "--out", Export, "--json");

        Assert.Equal(0, export.ExitCode);
        Assert.Equal(7, JsonNode.Parse(export.Out)!["treeSize"]!.GetValue<long>());
        File.Copy(Path.Combine(Workspace, "log.pub"), LogKey);
        Directory.Delete(Workspace, recursive: true);
    }

    private async Task AppendAsync(int count)
    {
        var body = Path.Combine(_root, "entry.json");
        for (var i = 0; i < count; i++)
        {
            await File.WriteAllTextAsync(body, $$"""{"n":{{i}}}""");
            Assert.Equal(0, (await CliRunner.RunAsync("log", "append", "--workspace", Workspace, "--type", "test/v1", body)).ExitCode);
        }
    }
}
