using Concordat.Cli.Commands;

namespace Concordat.Cli.Tests.Commands;

/// <summary>Runs quickstart's gateway (hospital sample, in process, loopback, port 0) while a test drives it, then stops it.</summary>
internal static class QuickstartServer
{
    /// <summary>Runs quickstart on <paramref name="workspace"/>, calls <paramref name="whileServing"/> once it serves, then stops it.</summary>
    /// <returns>Quickstart's exit code and what it wrote.</returns>
    public static async Task<CliResult> RunAsync(string workspace, Func<Task> whileServing)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var context = new CliContext(stdout, stderr, jsonErrors: false, verbose: false);

        var exitCode = await QuickstartCommand.RunAsync(context, workspace, "http://127.0.0.1:0", "hospital-research", async () =>
        {
            try
            {
                await whileServing();
            }
            finally
            {
                await stop.CancelAsync();
            }
        }, stop.Token);

        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
