using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Compliance;
using Concordat.Core;
using Concordat.Evidence;
using Concordat.Notes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat compliance check|checklists</c>: an agreement's applicable regimes, each item satisfied (by which
/// artifact, or by the log), missing, expired or failed; offline, on the workspace.
/// </summary>
internal static class ComplianceCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(stdout, stderr, TimeProvider.System);

    internal static Command Create(TextWriter stdout, TextWriter stderr, TimeProvider time) =>
        new("compliance", "Check agreements against the jurisdiction and sector checklists, and list the checklists")
        {
            CreateCheck(stdout, stderr, time),
            CreateChecklists(stdout, stderr),
        };

    private static Command CreateCheck(TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var place = new LogStoreCommands.PlaceOptions();
        var agreement = new Argument<string>("AGREEMENT") { Description = "The agreement id (its newest version in the workspace is checked)" };
        var witnessKeys = new Option<string[]>("--witness-key") { Description = "A witness's cosigner verifier key, inline or a file; the latest checkpoint's cosignatures by these keys are counted; repeatable", AllowMultipleArgumentsPerToken = false };
        var at = new Option<string?>("--at") { Description = "The instant of the check, RFC 3339 UTC (default: now): artifacts are in force or expired at it" };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object (docs/formats/compliance-checklist.md#report)" };
        var command = new Command("check", "For each regime that applies to the agreement, each item satisfied, missing, expired or failed; exit 0 only when no required item is missing or expired (2), or failed because the log does not verify (4)")
        {
            place.Workspace, place.Store, agreement, witnessKeys, at, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var instant = time.GetUtcNow();
            if (parse.GetValue(at) is { } atText && !Rfc3339.TryParseUtc(atText, out instant, out _))
            {
                return Task.FromResult(context.Fail(CliErrorCodes.ArtifactRegistrationInvalid, $"`--at`: `{atText}` is not an RFC 3339 UTC instant"));
            }

            if (!CliInput.TryReadWitnessKeys(context, parse.GetValue(witnessKeys), CliErrorCodes.ComplianceKeyUnreadable, out var cosigners, out var failed))
            {
                return Task.FromResult(failed);
            }

            var placed = place.Read(parse);
            var id = new AgreementId(parse.GetValue(agreement)!);
            return LogStoreCommands.RunOnStoreAsync(context, placed, async engine =>
            {
                await engine.Registry.InitializeAsync(cancellationToken).ConfigureAwait(false);
                var newest = (await engine.Registry.ListAgreementVersionsAsync(cancellationToken).ConfigureAwait(false))
                    .Where(v => v.Id == id).MaxBy(v => v.Version);
                if (newest is null)
                {
                    return context.Fail(ExitCodes.Error, EvidenceErrorCodes.AgreementUnknown, $"the workspace `{placed.Workspace}` holds no version of agreement `{id.Value}`");
                }

                var read = AgreementReader.Read(Encoding.UTF8.GetString(newest.Document.Span), $"{id.Value} v{newest.Version}");
                if (read.Agreement is not { } parsed)
                {
                    context.WriteDiagnostics(read.Diagnostics);
                    return ExitCodes.Invalid;
                }

                var facts = await LogFactsAsync(placed, engine, cosigners, cancellationToken).ConfigureAwait(false);
                var trusted = ComplianceArtifactStore.PinnedKeys(placed.Workspace, out var keyProblems);
                var (artifacts, problems) = ComplianceArtifactStore.Load(placed.Workspace, trusted, id);
                var report = ComplianceChecker.Check(parsed, ComplianceChecklists.BuiltIn, artifacts, facts, instant);
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(report.ToJson().ToJsonString());
                }
                else
                {
                    Print(context, report);
                }

                context.WriteDiagnostics([.. keyProblems, .. problems]);
                return report.HasFailedEvidence ? ExitCodes.VerificationFailed : report.IsSatisfied ? ExitCodes.Ok : ExitCodes.Denied;
            });
        });
        return command;
    }

    private static Command CreateChecklists(TextWriter stdout, TextWriter stderr)
    {
        var regime = new Option<string?>("--regime") { Description = "Only this regime's items" };
        var json = new Option<bool>("--json") { Description = "Print the checklists as one JSON array" };
        var command = new Command("checklists", "List the built-in checklists: each regime, where it applies, and its items") { regime, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var chosen = ComplianceChecklists.BuiltIn.Where(c => parse.GetValue(regime) is not { } only || c.Regime == only).ToList();
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(new JsonArray([.. chosen.Select(c => (JsonNode)new JsonObject
                {
                    ["regime"] = c.Regime,
                    ["title"] = c.Title,
                    ["version"] = c.Version,
                    ["jurisdictions"] = new JsonArray([.. c.Jurisdictions.Select(j => (JsonNode)j.Value)]),
                    ["sectors"] = new JsonArray([.. c.Sectors.Select(s => (JsonNode)s)]),
                    ["items"] = new JsonArray([.. c.Items.Select(i => (JsonNode)new JsonObject
                    {
                        ["id"] = i.Id,
                        ["obligation"] = i.Obligation,
                        ["source"] = i.Source,
                        ["artifacts"] = new JsonArray([.. i.Artifacts.Select(a => (JsonNode)a)]),
                        ["evidence"] = i.Evidence is { } e ? ComplianceChecklists.NameOf(e) : null,
                        ["required"] = i.IsRequired,
                    })]),
                })]).ToJsonString());
                return ExitCodes.Ok;
            }

            foreach (var checklist in chosen)
            {
                var applies = string.Join(" and ", new[] { checklist.Jurisdictions.Count > 0 ? string.Join(", ", checklist.Jurisdictions) : null, checklist.Sectors.Count > 0 ? $"sector {string.Join(", ", checklist.Sectors)}" : null }.OfType<string>());
                context.Out.WriteLine($"{checklist.Regime} v{checklist.Version}: {checklist.Title} (applies to {applies})");
                CliTable.Write(context, ["item", "source", "satisfied by", "required"], checklist.Items.Select(i => (IReadOnlyList<string>)
                [
                    i.Id, i.Source, SatisfiedBy(i), i.IsRequired ? "yes" : "no",
                ]));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<ComplianceLogFacts> LogFactsAsync(LogStoreCommands.LogPlace place, Store.IStoreEngine engine, IReadOnlyList<NoteVerifier> cosigners, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(place.Workspace, LogStoreCommands.PublicKeyFileName)) || !await engine.HasLogAsync(cancellationToken).ConfigureAwait(false))
        {
            return ComplianceLogFacts.NoLog;
        }

        if (!KeyFiles.TryReadVerifierKey(Path.Combine(place.Workspace, LogStoreCommands.PublicKeyFileName), out var key, out var keyError))
        {
            return new ComplianceLogFacts(false, 0, false, 0, $"the workspace's log key cannot be read: {keyError}");
        }

        var storage = await engine.OpenLogForReadingAsync(cancellationToken).ConfigureAwait(false);
        await using (storage.ConfigureAwait(false))
        {
            return await ComplianceLogFacts.ReadAsync(storage, key!, cosigners, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Print(CliContext context, ComplianceReport report)
    {
        context.Out.WriteLine($"agreement `{report.Agreement.Value}` v{report.Version} ({report.Digest}), checked at {Rfc3339.Format(report.CheckedAt)}");
        if (report.Regimes.Count == 0)
        {
            context.Out.WriteLine("no regime applies: the agreement's `compliance` names no jurisdiction or sector a checklist covers");
        }

        foreach (var regime in report.Regimes)
        {
            context.Out.WriteLine($"{regime.Checklist.Regime} v{regime.Checklist.Version}: {regime.Checklist.Title}");
            CliTable.Write(context, ["item", "status", "by", "digest", "detail"], regime.Items.Select(i => (IReadOnlyList<string>)
            [
                i.Item.Id + (i.Item.IsRequired ? string.Empty : " (optional)"),
                ComplianceReport.NameOf(i.Status).ToUpperInvariant(),
                i.Artifact is { } a ? (i.IsDeclared ? "agreement" : a.SignedBy ?? "-") : i.Item.Evidence is { } e ? ComplianceChecklists.NameOf(e) : "-",
                i.Artifact?.Digest.ToString() ?? "-",
                i.Detail,
            ]));
        }

        var failing = report.Items.Count(i => i.IsFailing);
        context.Out.WriteLine(failing == 0 ? "compliance: every required item is satisfied" : $"compliance: {failing} required item(s) missing, expired or failed");
    }

    private static string SatisfiedBy(ComplianceItem item) =>
        string.Join(" or ", item.Artifacts.Concat(item.Evidence is { } e ? [$"log: {ComplianceChecklists.NameOf(e)}"] : []));
}
