using System.Diagnostics;

namespace Concordat.Cli.Tests;

/// <summary>Runs the built <c>concordat</c> command as a real process, or a bash script that calls it as <c>concordat</c>.</summary>
internal static class CliProcess
{
    /// <summary>Gets the built command's entry assembly.</summary>
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "Concordat.Cli.dll");

    /// <summary>Runs <c>concordat ARGS</c> and waits for it to end (at most a minute).</summary>
    public static Task<CliResult> RunAsync(params string[] args) => StartAsync(new ProcessStartInfo("dotnet", [Dll, .. args]));

    /// <summary>Runs a bash script in which <c>concordat</c> is the built command.</summary>
    public static Task<CliResult> RunBashAsync(string script, string workingDirectory) =>
        StartAsync(new ProcessStartInfo("bash", ["-c", $"concordat() {{ dotnet '{Dll}' \"$@\"; }}\n{script}"]) { WorkingDirectory = workingDirectory });

    private static async Task<CliResult> StartAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await output, await error);
    }
}
