using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Amendments;
using Concordat.Decisions;

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
                var document = AgreementDiffJson.Write(diff, before, after);
                document["digest"] = AgreementDiffJson.Digest(diff, before, after).ToString();
                context.Out.WriteLine(document.ToJsonString(s_indented));
                return ExitCodes.Ok;
            }

            context.Out.WriteLine($"`{before.Id}` version {before.Version} → version {after.Version}: {Count(diff.Changes.Count, "change")}");
            if (diff.Changes.Count > 0)
            {
                CliTable.Write(context, ["class", "clause", "aspect", "change"], diff.Changes.Select(c => (IReadOnlyList<string>)[AgreementEnumText.ToText(c.Class), c.Clause, c.Aspect, c.Description]));
            }

            context.Out.WriteLine(Verdict(diff));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The engine's verdict in a sentence, with the request that shows it; loud when the amendment grants more.</summary>
    internal static string Verdict(AgreementDiff diff)
    {
        var compared = $"({diff.RequestsCompared.ToString("N0", CultureInfo.InvariantCulture)} requests decided by both versions)";
        if (diff.Widening is { } widening)
        {
            var what = widening.ObligationsOnly ? "permits with weaker obligations" : "permits";
            return $"WIDENING: the new version grants more {compared}: it {what} {Describe(widening.Request)}, which the old version {(widening.ObligationsOnly ? "permits with stricter obligations" : "denies")}; every party must agree to this before signing";
        }

        var narrowing = diff.Narrowing is { } n ? $"; it no longer permits {Describe(n.Request)} as before" : string.Empty;
        return $"the new version grants nothing the old one does not {compared}{narrowing}";
    }

    private static string Describe(DecisionRequest request) =>
        $"`{request.Recipient}` to {DecisionNames.ToName(request.Action)} `{request.Dataset}` for `{request.Purpose}` in {request.Jurisdiction}{(request.Subprocessor is { } s ? $" via `{s}`" : string.Empty)}{(request.Role is { } r ? $" as a {DecisionNames.ToName(r)} identity" : string.Empty)} at {Core.Rfc3339.Format(request.Time)}";

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? string.Empty : "s")}";
}
