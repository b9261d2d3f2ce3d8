using System.Diagnostics;

namespace Concordat.Cli.Tests.Commands;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_Started_PrintsOneStartLine()
    {
        // The gateway logs its own start line for hosts that print none; `concordat serve` prints one, so only that.
        var workspace = Directory.CreateTempSubdirectory("concordat-serve-").FullName;
        var cli = Path.Combine(AppContext.BaseDirectory, "Concordat.Cli.dll");
        var start = new ProcessStartInfo("dotnet", [cli, "serve", "--workspace", workspace, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var lines = new List<string>();
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    lines.Add(line);
                    if (line.StartsWith("press Ctrl+C", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
            }

            // The console logger writes from its own queue: give a late line a moment before stopping the gateway.
            await Task.Delay(TimeSpan.FromSeconds(1));
            process.Kill(entireProcessTree: true);
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Add(line);
            }

            await process.WaitForExitAsync();
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }

        Assert.Contains("press Ctrl+C to stop", lines);
        Assert.Single(lines, line => line.Contains("listening on", StringComparison.Ordinal));
    }
}
