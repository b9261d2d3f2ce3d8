using System.CommandLine;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat help [VERB...]</c>: the same as <c>concordat [VERB...] --help</c>: usage, options and an example.
/// </summary>
internal static class HelpCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var verbs = new Argument<string[]>("verb") { Description = "The verb to explain, such as `decide` or `log verify`; none for every verb", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "Show the usage, options and an example of a verb") { verbs };
        command.SetAction((parse, _) => ConcordatCommand.RunAsync([.. parse.GetValue(verbs) ?? [], "--help"], stdout, stderr));
        return command;
    }
}
