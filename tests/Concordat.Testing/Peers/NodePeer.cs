using System.Diagnostics;

namespace Concordat.Testing.Peers;

/// <summary>
/// Runs a script of <c>tests/node</c> with node against the npm packages pinned there: implementations nobody here
/// wrote, which tests compare Concordat against. A missing node or missing packages fail the test with what to run;
/// they never skip it.
/// </summary>
public static class NodePeer
{
    /// <summary>Runs <paramref name="script"/> (a file name in <c>tests/node</c>) with <paramref name="input"/> on standard input.</summary>
    /// <returns>What the script wrote to standard output.</returns>
    /// <exception cref="InvalidOperationException">Node or the packages are missing, the script exits non-zero, or it outlives <paramref name="timeout"/>.</exception>
    public static string Run(string script, string input, TimeSpan timeout)
    {
        var folder = Path.Combine(RepositoryRoot.Find(), "tests", "node");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException($"the npm peers are not installed: run `npm ci --prefix tests/node` (scripts/test.sh does)");
        }

        var start = new ProcessStartInfo("node", [Path.Combine(folder, script)])
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"node is not installed (scripts/test.sh installs Debian's `nodejs`): {error.Message}", error);
        }

        using (process)
        {
            // Invariant: both pipes are drained while the script runs, so a large answer cannot block it.
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input);
            process.StandardInput.Close();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"node {script} did not finish within {timeout}");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"node {script} exited with {process.ExitCode}: {errors.Result}");
            }

            return output.Result;
        }
    }
}
