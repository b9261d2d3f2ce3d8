using System.Diagnostics;
using Concordat.Cli.Commands;
using Concordat.Gateway;
using Concordat.Storage.Sqlite;

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

    [Fact]
    public async Task RunAsync_EmptyStore_ServesOnSqliteAndSaysSo()
    {
        var workspace = Directory.CreateTempSubdirectory("concordat-serve-").FullName;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var options = new GatewayOptions { Workspace = workspace, Urls = "http://127.0.0.1:0" };
        int exitCode;
        try
        {
            exitCode = await ServeCommand.RunAsync(new CliContext(stdout, stderr, jsonErrors: false, verbose: false), options, store: "", _ => stop.CancelAsync(), stop.Token);
            Assert.True(File.Exists(Path.Combine(workspace, SqliteStoreEngine.RegistryFileName)));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }

        Assert.Equal(0, exitCode);
        Assert.Contains(", SQLite store), started in ", stdout.ToString(), StringComparison.Ordinal);
    }
}
