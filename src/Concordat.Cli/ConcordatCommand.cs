using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text.RegularExpressions;
using Concordat.Cli.Commands;

namespace Concordat.Cli;

/// <summary>
/// The root of the <c>concordat</c> command. Every verb lives in one file under Commands/ and is registered here.
/// </summary>
internal static partial class ConcordatCommand
{
    /// <summary>The command's name in usage lines, whatever file runs it (an installed tool, <c>dotnet Concordat.Cli.dll</c>).</summary>
    public const string Name = "concordat";

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
        root.Subcommands.Add(HelpCommand.Create(stdout, stderr));
        root.Subcommands.Add(KeyCommand.Create(stdout, stderr));
        root.Subcommands.Add(LogCommand.Create(stdout, stderr));
        root.Subcommands.Add(NoteCommand.Create(stdout, stderr));
        root.Subcommands.Add(AgreementCommand.Create(stdout, stderr));
        root.Subcommands.Add(TrustCommand.Create(stdout, stderr));
        root.Subcommands.Add(ServeCommand.Create(stdout, stderr));
        root.Subcommands.Add(QuickstartCommand.Create(stdout, stderr));
        root.Subcommands.Add(SealCommand.Create(stdout, stderr));
        root.Subcommands.Add(SealCommand.CreateUnseal(stdout, stderr));
        root.Subcommands.Add(IdentityCommand.Create(stdout, stderr));
        root.Subcommands.Add(TokenCommand.Create(stdout, stderr));
        root.Subcommands.Add(AccessCommand.Create(stdout, stderr));
        root.Subcommands.Add(DatasetCommand.Create(stdout, stderr));
        root.Subcommands.Add(ReceiptCommand.Create(stdout, stderr));
        root.Subcommands.Add(AttestCommand.Create(stdout, stderr));
        root.Subcommands.Add(DecideCommand.Create(stdout, stderr));
        root.Subcommands.Add(LicenceCommand.Create(stdout, stderr));
        root.Subcommands.Add(IncidentCommand.Create(stdout, stderr));
        root.Subcommands.Add(KpiCommand.Create(stdout, stderr));
        root.Subcommands.Add(RetentionCommand.Create(stdout, stderr));
        root.Subcommands.Add(DiligenceCommand.Create(stdout, stderr));
        root.Subcommands.Add(BudgetCommand.Create(stdout, stderr));
        root.Subcommands.Add(RecipientTableCommand.Create(stdout, stderr));
        root.Subcommands.Add(ShareCommand.Create(stdout, stderr));
        root.Subcommands.Add(ModelCommand.Create(stdout, stderr));
        root.Subcommands.Add(LineageCommand.Create(stdout, stderr));
        root.Subcommands.Add(ExportCommand.Create(stdout, stderr));
        root.Subcommands.Add(ImportCommand.Create(stdout, stderr));
        root.Subcommands.Add(WitnessCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvidenceCommand.Create(stdout, stderr));
        root.Subcommands.Add(ArtifactCommand.Create(stdout, stderr));
        root.Subcommands.Add(ComplianceCommand.Create(stdout, stderr));
        return root;
    }

    /// <summary>Gets the path of a command: its verbs after <c>concordat</c>, space-separated (empty for the root).</summary>
    internal static string PathOf(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command { } c and not RootCommand; symbol = c.Parents.FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return string.Join(' ', names);
    }

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            args = ["--help"];
        }

        var root = Create(stdout, stderr);

        // Help and the framework's own messages are written here first, so usage lines can name the command
        // `concordat` and the command's example can follow.
        using var framework = new StringWriter();
        var configuration = new InvocationConfiguration { Output = framework, Error = stderr, EnableDefaultExceptionHandler = false };
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var context = CreateContext(parse, stdout, stderr);
            var path = PathOf(parse.CommandResult.Command);
            var help = path.Length == 0 ? "run `concordat help` for the verbs" : $"run `concordat help {path}` for its usage and an example";
            foreach (var error in parse.Errors)
            {
                context.Fail(CliErrorCodes.InvalidArguments, char.ToLowerInvariant(error.Message[0]) + error.Message[1..].TrimEnd('.'), help);
            }

            return CliErrorCodes.InvalidArguments.Exit;
        }

        try
        {
            var exitCode = await parse.InvokeAsync(configuration).ConfigureAwait(false);
            WriteHelp(stdout, framework.ToString(), parse.CommandResult.Command);
            return exitCode;
        }
#pragma warning disable CA1031 // The last line of defence: no stack trace reaches a user unless asked for with --verbose.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WriteHelp(stdout, framework.ToString(), parse.CommandResult.Command);
            var context = CreateContext(parse, stdout, stderr);
            if (context.IsVerbose)
            {
                stderr.WriteLine(ex.ToString());
            }

            return ex switch
            {
                HttpRequestException => context.Fail(CliErrorCodes.GatewayUnreachable, $"cannot reach the gateway: {ex.Message.TrimEnd('.')}"),
                TaskCanceledException { InnerException: TimeoutException } => context.Fail(CliErrorCodes.GatewayUnreachable, "the gateway did not answer in time"),
                IOException or UnauthorizedAccessException => context.Fail(CliErrorCodes.FileSystemFailed, ex.Message.TrimEnd('.')),
                _ => context.Fail(CliErrorCodes.Unexpected, $"unexpected error: {ex.Message}"),
            };
        }
    }

    /// <summary>Builds the output context for a parsed command line.</summary>
    internal static CliContext CreateContext(ParseResult parse, TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, parse.GetValue(ErrorFormat) == "json", parse.GetValue(Verbose), ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);

    private static void WriteHelp(TextWriter stdout, string text, Command command)
    {
        if (text.Length == 0)
        {
            return;
        }

        var exe = Path.GetFileNameWithoutExtension(Environment.GetCommandLineArgs().FirstOrDefault() ?? Name).Replace(" ", string.Empty, StringComparison.Ordinal);
        stdout.Write(Regex.Replace(text, "(?m)^(  )" + Regex.Escape(exe) + "(?= |$)", "$1" + Name));
        if (text.Contains("Usage:", StringComparison.Ordinal) && CommandExamples.ByPath.TryGetValue(PathOf(command), out var example))
        {
            stdout.WriteLine("Example:");
            stdout.WriteLine("  " + example);
            stdout.WriteLine();
        }
    }
}
