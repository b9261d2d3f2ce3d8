using System.CommandLine;
using Concordat.Cli.Commands;

namespace Concordat.Cli;

/// <summary>
/// The root of the <c>concordat</c> command. Every verb lives in one file under Commands/ and is registered here.
/// </summary>
internal static class ConcordatCommand
{
    /// <summary>Gets <c>--error-format human|json</c>, recursive so every verb accepts it.</summary>
    internal static Option<string> ErrorFormat { get; } = new("--error-format")
    {
        Description = "How diagnostics and errors are written: human or json",
        DefaultValueFactory = _ => "human",
        Recursive = true,
    };

    /// <summary>Gets <c>--verbose</c>: show exception details on unexpected errors.</summary>
    internal static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Show details of unexpected errors (stack traces)",
        Recursive = true,
    };

    internal static RootCommand Create(TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ErrorFormat.AcceptOnlyFromAmong("human", "json");
        var root = new RootCommand("Concordat: data-use agreements as code, enforced and logged")
        {
            ErrorFormat,
            Verbose,
        };

        // Registration: one line per command group; each group lives in Commands/.
        root.Subcommands.Add(KeyCommand.Create(stdout, stderr));
        root.Subcommands.Add(LogCommand.Create(stdout, stderr));
        root.Subcommands.Add(NoteCommand.Create(stdout, stderr));
        root.Subcommands.Add(AgreementCommand.Create(stdout, stderr));
        root.Subcommands.Add(ServeCommand.Create(stdout, stderr));
        root.Subcommands.Add(QuickstartCommand.Create(stdout, stderr));
        root.Subcommands.Add(SealCommand.Create(stdout, stderr));
        root.Subcommands.Add(SealCommand.CreateUnseal(stdout, stderr));
        root.Subcommands.Add(AccessCommand.Create(stdout, stderr));
        root.Subcommands.Add(DatasetCommand.Create(stdout, stderr));
        root.Subcommands.Add(DecideCommand.Create(stdout, stderr));
        return root;
    }

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Create(stdout, stderr);
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        var parse = root.Parse(args);
        try
        {
            return await parse.InvokeAsync(configuration).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The last line of defence: no stack trace reaches a user unless asked for with --verbose.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var context = CreateContext(parse, stdout, stderr);
            if (context.IsVerbose)
            {
                stderr.WriteLine(ex.ToString());
            }

            return context.Fail(CliErrorCodes.Unexpected, $"unexpected error: {ex.Message}");
        }
    }

    /// <summary>Builds the output context for a parsed command line.</summary>
    internal static CliContext CreateContext(ParseResult parse, TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, parse.GetValue(ErrorFormat) == "json", parse.GetValue(Verbose));
}
