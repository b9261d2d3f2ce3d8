using System.Text.Json.Nodes;

namespace Concordat.Cli.Tests.Commands;

public sealed class DatasetCommandTests : IDisposable
{
    // The quickstart imports sample rows whose first patient id is this one.
    private const string Subject = "P-100000";

    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-dataset-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Erase_QuickstartSubject_ErasedOnceThenGw6921AndNeverPrinted()
    {
        var workspace = Path.Combine(_folder, "ws");
        var subjectFile = Path.Combine(_folder, "subject.txt");
        await File.WriteAllTextAsync(subjectFile, Subject + "\n");
        CliResult? erased = null, again = null;

        var served = await QuickstartServer.RunAsync(workspace, async () =>
        {
            erased = await CliRunner.RunAsync("dataset", "erase", "cardiology-records", "--subject-file", subjectFile, "--workspace", workspace, "--json");
            again = await CliRunner.RunAsync("dataset", "erase", "cardiology-records", "--subject", Subject, "--workspace", workspace);
        });

        Assert.True(served.ExitCode == ExitCodes.Ok, served.Error);
        Assert.True(erased!.ExitCode == ExitCodes.Ok, erased.Error);
        var body = JsonNode.Parse(erased.Out)!;
        Assert.True(body["rowsRemoved"]!.GetValue<long>() >= 1);
        Assert.StartsWith("hmac-sha256:", body["subjectCommitment"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(Subject, erased.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Invalid, again!.ExitCode);
        Assert.Contains("GW6921", again.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Subject, again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_NeitherBothOrEmptySubject_Cli1407()
    {
        var empty = Path.Combine(_folder, "empty.txt");
        await File.WriteAllTextAsync(empty, "\n\n");

        var neither = await CliRunner.RunAsync("dataset", "erase", "cardiology-records");
        var both = await CliRunner.RunAsync("dataset", "erase", "cardiology-records", "--subject", Subject, "--subject-file", empty);
        var none = await CliRunner.RunAsync("dataset", "erase", "cardiology-records", "--subject-file", empty);
        var missing = await CliRunner.RunAsync("dataset", "erase", "cardiology-records", "--subject-file", Path.Combine(_folder, "no-such.txt"));

        foreach (var result in new[] { neither, both, none, missing })
        {
            Assert.Equal(ExitCodes.Invalid, result.ExitCode);
            Assert.Contains("CLI1407", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(Subject, result.Error, StringComparison.Ordinal);
        }
    }
}
