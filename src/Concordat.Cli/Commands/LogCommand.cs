using System.CommandLine;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat log ...</c>: the transparency log. The hand-check verbs come from <see cref="LogCheckCommands"/>;
/// the verbs that work on a stored log are added here beside them.
/// </summary>
internal static class LogCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var log = new Command("log", "Work with the transparency log and check its proofs by hand");
        LogCheckCommands.AddTo(log, stdout, stderr);
        LogStoreCommands.AddTo(log, stdout, stderr);
        return log;
    }
}
