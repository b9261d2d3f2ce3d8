using System.CommandLine;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat log ...</c>: the transparency log. The hand-check verbs are built in <see cref="LogCheckCommands"/>,
/// the verbs that work on a stored log in <see cref="LogStoreCommands"/>; the group lists them all here.
/// </summary>
internal static class LogCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("log", "Work with the transparency log and check its proofs by hand")
        {
            LogCheckCommands.CreateRoot(stdout, stderr),
            LogCheckCommands.CreateCheckInclusion(stdout, stderr),
            LogCheckCommands.CreateCheckConsistency(stdout, stderr),
            LogStoreCommands.CreateInit(stdout, stderr),
            LogStoreCommands.CreateAppend(stdout, stderr),
            LogStoreCommands.CreateGet(stdout, stderr),
            LogStoreCommands.CreateCheckpoint(stdout, stderr),
            LogStoreCommands.CreateVerify(stdout, stderr),
            LogMonitorCommand.Create(stdout, stderr),
            LogExportCommands.CreateExport(stdout, stderr),
            new Command("prove", "Produce inclusion and consistency proofs from the stored log")
            {
                LogStoreCommands.CreateProveInclusion(stdout, stderr),
                LogStoreCommands.CreateProveConsistency(stdout, stderr),
            },
        };
}
