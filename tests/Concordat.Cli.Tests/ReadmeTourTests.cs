using System.Diagnostics;
using Concordat.Testing;

namespace Concordat.Cli.Tests;

/// <summary>
/// The commands of README's "A short tour" run as written, against the built command, so the README stays true.
/// </summary>
public sealed class ReadmeTourTests
{
    [Fact]
    public async Task Tour_EveryCommand_RunsWithItsDocumentedOutcome()
    {
        var root = RepositoryRoot.Find();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var tour = readme[readme.IndexOf("## A short tour", StringComparison.Ordinal)..];
        var start = tour.IndexOf("```sh\n", StringComparison.Ordinal) + "```sh\n".Length;
        var block = tour[start..tour.IndexOf("```", start, StringComparison.Ordinal)];
        var workspace = Directory.CreateTempSubdirectory("concordat-tour-").FullName;
        try
        {
            // Each command's exit code is printed after it; the decision in the tour is a deny (exit 2) by design.
            var commands = string.Join('\n', block.Replace("/tmp/ws", workspace, StringComparison.Ordinal)
                .Replace("\\\n", string.Empty, StringComparison.Ordinal)
                .Split('\n')
                .Where(line => line.StartsWith("concordat", StringComparison.Ordinal))
                .Select(line => $"{line}; echo \"exit=$?\""));
            var cli = Path.Combine(AppContext.BaseDirectory, "Concordat.Cli.dll");
            var script = $"concordat() {{ dotnet '{cli}' \"$@\"; }}\n{commands}\n";

            var (exitCode, output) = await RunBashAsync(script, root);

            Assert.Equal(0, exitCode);
            var exits = output.Split('\n').Where(l => l.StartsWith("exit=", StringComparison.Ordinal)).ToList();
            Assert.Equal(["exit=0", "exit=0", "exit=0", "exit=2", "exit=0", "exit=0"], exits);
            Assert.Contains("in-force", output, StringComparison.Ordinal);
            Assert.Contains("eu-only", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
