using Concordat.Cli.Commands;

namespace Concordat.Cli.Tests;

/// <summary>
/// A real gateway for the operator verbs' tests: <c>quickstart</c> (in process, loopback, port 0) on a workspace, which
/// serves while a test body runs and stops after it.
/// </summary>
internal static class QuickstartGateway
{
    /// <summary>Runs quickstart on <paramref name="workspace"/>, runs <paramref name="whileServing"/>, stops; returns what quickstart printed.</summary>
    public static async Task<string> RunAsync(string workspace, Func<Task> whileServing)
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

        Assert.True(exitCode == ExitCodes.Ok, stderr.ToString());
        Assert.Empty(stderr.ToString());
        return stdout.ToString();
    }
}
