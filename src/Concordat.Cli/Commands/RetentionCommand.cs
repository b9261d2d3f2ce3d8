using System.CommandLine;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Log;
using Concordat.Retention;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat retention status --bundle EXPORT --agreement FILE... [--at] [--json]</c>: for each egress in an exported
/// log, when the recipient must delete the data and attest it, and whether it did (docs/design/retention.md); exits
/// non-zero when an attestation is overdue.
/// </summary>
internal static class RetentionCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    public static Command Create(TextWriter stdout, TextWriter stderr) => new("retention", "Retention deadlines of what recipients received, from the log") { Status(stdout, stderr) };

    private static Command Status(TextWriter stdout, TextWriter stderr)
    {
        var bundle = new Option<string>("--bundle") { Description = "An exported log (`concordat log export`); verify it first with `log verify --bundle`", Required = true };
        var agreements = new Option<string[]>("--agreement") { Description = "An agreement version (YAML) the log's decisions name; repeat for each", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = true };
        var at = new Option<string?>("--at") { Description = "Judge at this instant (RFC 3339); default: now" };
        var json = new Option<bool>("--json") { Description = "Write one JSON document" };
        var command = new Command("status", "Each egress's deletion and attestation deadlines and state (due, done, overdue); exits non-zero when one is overdue") { bundle, agreements, at, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var instant = TimeProvider.System.GetUtcNow();
            if (parse.GetValue(at) is { } atText && !Rfc3339.TryParseUtc(atText, out instant, out var error))
            {
                return context.Fail(CliErrorCodes.InvalidInstant, $"`--at`: `{atText}` is not a valid instant", error);
            }

            var versions = new Dictionary<string, Agreement>(StringComparer.Ordinal);
            foreach (var path in parse.GetValue(agreements)!)
            {
                if (AgreementFiles.Load(context, path, out var code) is not { } agreement)
                {
                    return code;
                }

                versions[AgreementDigest.Compute(agreement).ToString()] = agreement;
            }

            var file = parse.GetValue(bundle)!;
            var ledger = new RetentionLedger();
            if (!File.Exists(file))
            {
                return context.Fail(CliErrorCodes.RetentionInputUnreadable, $"no file `{file}`");
            }

            try
            {
                await CliTable.ProgressAsync(context, "reading the export", async () =>
                {
                    await using var stream = File.OpenRead(file);
                    await foreach (var (_, entry) in LogExportEntries.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
                    {
                        ledger.Read(entry);
                    }

                    return 0;
                }).ConfigureAwait(false);
            }
            catch (InvalidDataException problem)
            {
                return context.Fail(CliErrorCodes.RetentionInputUnreadable, $"`{file}`: {problem.Message}");
            }

            var items = ledger.Status(versions, instant, out var unknown);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new { at = instant, items, unknownAgreements = unknown }, s_json));
            }
            else
            {
                CliTable.Write(context, ["decision", "recipient", "dataset", "agreement", "egress", "delete by", "attest by", "state"], items.Select(i => (IReadOnlyList<string>)
                [
                    i.DecisionId, i.Recipient, i.Dataset, i.Agreement, Rfc3339.Format(i.EgressAt), Rfc3339.Format(i.DeleteBy), Rfc3339.Format(i.AttestBy),
                    i.State == RetentionState.Overdue ? CliTable.Overdue : i.State == RetentionState.Done ? $"done {Rfc3339.Format(i.AttestedAt!.Value)}" : "due",
                ]));
                if (unknown > 0)
                {
                    context.Error.WriteLine($"warning: {unknown} egress named an agreement version not given with --agreement: not judged");
                }
            }

            var overdue = items.Count(i => i.State == RetentionState.Overdue);
            return overdue == 0 ? ExitCodes.Ok : context.Fail(CliErrorCodes.RetentionOverdue, $"{overdue} deletion attestation(s) overdue");
        });
        return command;
    }
}
