using System.CommandLine;
using System.Text.Json.Nodes;
using Concordat.Privacy.Accounting;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat budget recompute --bundle EXPORT --log-key KEY</c>: every privacy budget's spend, recomputed offline
/// from a verified log export with the pure library only; it equals what the gateway's <c>GET /v1/budgets</c> reports
/// (<c>rhoSpent</c>, <c>queries</c>), so a partner need not trust the operator's figures (docs/design/privacy.md).
/// </summary>
internal static class BudgetCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("budget", "Privacy budgets of the clean room, from the log")
        {
            Recompute(stdout, stderr),
        };

    private static Command Recompute(TextWriter stdout, TextWriter stderr)
    {
        var bundle = new Option<string>("--bundle") { Description = "A log export (`log export`), verified before it is read", Required = true };
        var logKey = new Option<string?>("--log-key") { Description = "The log's verifier key, inline or as a file, obtained from the operator (never from the export)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var command = new Command("recompute", "Verify a log export, then total every aggregate query's privacy spend in it per recipient, agreement and grant") { bundle, logKey, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = Path.GetFullPath(parse.GetValue(bundle)!);
            var (verified, failure) = await LogExportCommands.TryVerifyAsync(context, path, parse.GetValue(logKey), cancellationToken).ConfigureAwait(false);
            if (verified is null)
            {
                return failure;
            }

            IReadOnlyList<(BudgetKey Key, Privacy.Noise.Rational Rho, int Queries, Privacy.Noise.Rational Delta)> totals;
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            await using (file.ConfigureAwait(false))
            {
                totals = await BudgetRecompute.FromExportAsync(file, cancellationToken).ConfigureAwait(false);
            }

            if (parse.GetValue(json))
            {
                var budgets = new JsonArray([.. totals.Select(t => (JsonNode)new JsonObject
                {
                    ["recipient"] = t.Key.Recipient.Value,
                    ["agreement"] = t.Key.Agreement.Value,
                    ["grant"] = t.Key.Grant.Value,
                    ["queries"] = t.Queries,
                    ["rhoSpent"] = t.Rho.ToString(),
                })]);
                // The δ partition selection spent, only where some was, so a budget over declared domains reads as before.
                for (var i = 0; i < totals.Count; i++)
                {
                    if (!totals[i].Delta.IsZero)
                    {
                        budgets[i]!["deltaSpent"] = totals[i].Delta.ToString();
                    }
                }

                context.Out.WriteLine(new JsonObject { ["treeSize"] = verified.TreeSize, ["budgets"] = budgets }.ToJsonString());
                return ExitCodes.Ok;
            }

            var hasDelta = totals.Any(t => !t.Delta.IsZero);
            CliTable.Write(
                context,
                hasDelta ? ["recipient", "agreement", "grant", "queries", "rho spent", "delta spent"] : ["recipient", "agreement", "grant", "queries", "rho spent"],
                totals.Select(t => (IReadOnlyList<string>)[t.Key.Recipient.Value, t.Key.Agreement.Value, t.Key.Grant.Value, t.Queries.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Rho.ToString(), .. hasDelta ? [t.Delta.ToString()] : Array.Empty<string>()]));
            context.Out.WriteLine($"{totals.Count} budgets, {totals.Sum(t => t.Queries)} queries, from {verified.TreeSize} verified entries");
            return ExitCodes.Ok;
        });
        return command;
    }
}
