using System.CommandLine;

namespace Concordat.Cli;

/// <summary>
/// The root of the <c>concordat</c> command: every verb is registered here, one file per verb under Commands/.
/// </summary>
internal static class ConcordatCommand
{
    internal static RootCommand Create(TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = new RootCommand("Concordat: data-use agreements as code, enforced and logged");
        return root;
    }

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Create(stdout, stderr);
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        return await root.Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
    }
}
