using System.CommandLine;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Amendments;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat agreement diff OLD NEW [--json]</c>: what an amendment changes, clause by clause, and the decision
/// engine's verdict on whether the new version grants more (docs/design/amendments.md).
/// </summary>
internal static class AgreementDiffCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var old = new Argument<string>("old") { Description = "The version in force, or the older version (YAML)" };
        var @new = new Argument<string>("new") { Description = "The amendment (YAML)" };
        var json = new Option<bool>("--json") { Description = "Print the diff as one JSON document, with its digest" };
        var command = new Command("diff", "Show what an amendment changes and whether it grants more, decided by the engine on every class of request") { old, @new, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var before = AgreementFiles.Load(context, parse.GetValue(old)!, out var code);
            var after = before is null ? null : AgreementFiles.Load(context, parse.GetValue(@new)!, out code);
            if (before is null || after is null)
            {
                return code;
            }

            if (!AgreementDiffer.TryCompare(before, after, out var diff, out var problem))
            {
                context.WriteDiagnostics([problem]);
                return ExitCodes.Invalid;
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(AgreementDiffJson.Document(diff, before, after).ToJsonString(s_indented));
                return ExitCodes.Ok;
            }

            Write(context, before, after, diff);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The <c>--amends</c> option of <c>agreement sign</c> and <c>explain</c>: the version in force, to show the amendment against.</summary>
    internal static Option<string> AmendsOption() => new("--amends") { Description = "The version in force (YAML): show what this version changes and whether it grants more, before anyone signs" };

    /// <summary>Writes the diff of <paramref name="amendment"/> against the version at <paramref name="inForcePath"/>; an exit code when it cannot.</summary>
    internal static int? WriteAgainst(CliContext context, string inForcePath, Agreement amendment)
    {
        var inForce = AgreementFiles.Load(context, inForcePath, out var code);
        if (inForce is null)
        {
            return code;
        }

        if (!AgreementDiffer.TryCompare(inForce, amendment, out var diff, out var problem))
        {
            context.WriteDiagnostics([problem]);
            return ExitCodes.Invalid;
        }

        Write(context, inForce, amendment, diff);
        return null;
    }

    private static void Write(CliContext context, Agreement before, Agreement after, AgreementDiff diff)
    {
        context.Out.WriteLine($"`{before.Id}` version {before.Version} → version {after.Version}: {Count(diff.Changes.Count, "change")}");
        if (diff.Changes.Count > 0)
        {
            CliTable.Write(context, ["class", "clause", "aspect", "change"], diff.Changes.Select(c => (IReadOnlyList<string>)[AgreementEnumText.ToText(c.Class), c.Clause, c.Aspect, c.Description]));
        }

        context.Out.WriteLine(diff.Verdict);
    }

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? string.Empty : "s")}";
}
