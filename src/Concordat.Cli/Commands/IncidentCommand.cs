using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Core;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat incident open|acknowledge|seal|snapshot|notify|remediate|close|status|postmortem|export-stix|import-stix|drill</c>: the incident playbook on a
/// running gateway, each step a logged act with its actor.
/// </summary>
internal static class IncidentCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("incident", "Run the incident playbook: open, acknowledge, seal, snapshot, notify, remediate, close, with the notification clocks")
        {
            CreateOpen(stdout, stderr),
            CreateAct("acknowledge", "Acknowledge the incident: triage has begun (a report's acknowledgement, the `acknowledge` service level)", stdout, stderr),
            CreateAct("seal", "Seal every recipient the incident affects (the gateway's seal), as an act of the incident", stdout, stderr),
            CreateAct("snapshot", "Take the forensic snapshot: the log export to a signed checkpoint and the relevant entries, written once in the workspace", stdout, stderr),
            CreateAct("notify", "Record a notification given to one whom of the clocks (`authority:DE`, `party:st-aurelia`)", stdout, stderr),
            CreateAct("remediate", "Record a remediation carried out", stdout, stderr),
            CreateAct("close", "Close the incident with its blameless postmortem: root cause, fixes, policy changes", stdout, stderr),
            CreateStatus(stdout, stderr),
            CreatePostmortem(stdout, stderr),
            IncidentStixCommands.CreateExport(stdout, stderr),
            IncidentStixCommands.CreateImport(stdout, stderr),
            IncidentDrillCommand.Create(stdout, stderr),
        };

    private static Command CreateOpen(TextWriter stdout, TextWriter stderr)
    {
        var severity = new Option<string>("--severity") { Description = "How bad: low, medium, high or critical", Required = true };
        severity.AcceptOnlyFromAmong("low", "medium", "high", "critical");
        var suspected = new Option<string>("--suspected") { Description = "What is suspected, in words", Required = true };
        var owner = new Option<string>("--owner") { Description = "Who owns triage", Required = true };
        var detected = new Option<string?>("--detected-at") { Description = "When it was detected (RFC 3339); every notification clock starts here; now when absent" };
        var agreements = new Option<string[]>("--agreement") { Description = "An affected agreement (repeat for more)", AllowMultipleArgumentsPerToken = false };
        var recipients = new Option<string[]>("--recipient") { Description = "An affected recipient (repeat for more)" };
        var datasets = new Option<string[]>("--dataset") { Description = "An affected dataset (repeat for more)" };
        var alerts = new Option<long[]>("--alert") { Description = "The log index of a linked alert (repeat for more)" };
        var (workspace, url, json) = Common();
        var command = new Command("open", "Open an incident: severity, what is suspected, triage owner, what it affects") { severity, suspected, owner, detected, agreements, recipients, datasets, alerts, workspace, url, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!TryTime(context, parse.GetValue(detected), "--detected-at", out var detectedAt, out var failed))
            {
                return Task.FromResult(failed);
            }

            var body = new
            {
                severity = parse.GetValue(severity),
                suspected = parse.GetValue(suspected),
                triageOwner = parse.GetValue(owner),
                detectedAt,
                agreements = parse.GetValue(agreements) ?? [],
                recipients = parse.GetValue(recipients) ?? [],
                datasets = parse.GetValue(datasets) ?? [],
                alerts = parse.GetValue(alerts) ?? [],
            };
            return SendAsync(context, parse, workspace, url, HttpMethod.Post, "v1/incidents", body, 201, incident =>
            {
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(incident.ToJsonString(s_indented));
                    return ExitCodes.Ok;
                }

                context.Out.WriteLine($"opened incident {incident["id"]} ({incident["severity"]}), triage owner {incident["triageOwner"]}");
                WriteClocks(context, incident);
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static Command CreateAct(string act, string description, TextWriter stdout, TextWriter stderr)
    {
        var id = IncidentId();
        var actor = new Option<string>("--actor") { Description = "Who does the act, for the log", DefaultValueFactory = _ => "operator" };
        var detail = new Option<string?>("--detail") { Description = "What was done, in words", Required = act == "remediate" };
        var (workspace, url, json) = Common();
        var command = new Command(act, description) { id, actor, detail, workspace, url, json };
        var whom = new Option<string>("--whom") { Description = "Whom it was given to: a clock's whom, as `incident status` lists them", Required = true };
        var givenAt = new Option<string?>("--given-at") { Description = "When it was given (RFC 3339); now when absent" };
        var rootCause = new Option<string>("--root-cause") { Description = "The root cause, blameless", Required = true };
        var fixes = new Option<string[]>("--fix") { Description = "A fix made (repeat for more)" };
        var changes = new Option<string[]>("--policy-change") { Description = "A change to agreements or policy (repeat for more)" };
        if (act == "notify")
        {
            command.Options.Add(whom);
            command.Options.Add(givenAt);
        }
        else if (act == "close")
        {
            command.Options.Add(rootCause);
            command.Options.Add(fixes);
            command.Options.Add(changes);
        }

        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!TryTime(context, act == "notify" ? parse.GetValue(givenAt) : null, "--given-at", out var given, out var failed))
            {
                return Task.FromResult(failed);
            }

            var body = new
            {
                act,
                actor = parse.GetValue(actor),
                detail = parse.GetValue(detail),
                whom = act == "notify" ? parse.GetValue(whom) : null,
                givenAt = given,
                rootCause = act == "close" ? parse.GetValue(rootCause) : null,
                fixes = act == "close" ? parse.GetValue(fixes) : null,
                policyChanges = act == "close" ? parse.GetValue(changes) : null,
            };
            var path = $"v1/incidents/{Uri.EscapeDataString(parse.GetValue(id)!)}/acts";
            return SendAsync(context, parse, workspace, url, HttpMethod.Post, path, body, 200, answer =>
            {
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(answer.ToJsonString(s_indented));
                    return ExitCodes.Ok;
                }

                var incident = answer["incident"]!;
                var done = incident["acts"]!.AsArray().Last();
                context.Out.WriteLine($"incident {incident["id"]}: {act} by {done?["actor"]} at {done?["at"]}{(done?["detail"] is { } d ? $": {d}" : string.Empty)}");
                if (answer["snapshotDirectory"] is { } folder)
                {
                    context.Out.WriteLine($"snapshot in {folder}; verify offline: concordat log verify --bundle {Path.Combine(folder.ToString(), answer["snapshot"]!["export"]!.ToString())} --log-key {Path.Combine(parse.GetValue(workspace)!, "log.pub")}");
                }

                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static Command CreateStatus(TextWriter stdout, TextWriter stderr)
    {
        var all = new Option<bool>("--all") { Description = "List closed incidents too" };
        var (workspace, url, json) = Common();
        var command = new Command("status", "Every open incident with its notification clocks counting down; exits non-zero when one is overdue") { all, workspace, url, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return SendAsync(context, parse, workspace, url, HttpMethod.Get, "v1/incidents", null, 200, list =>
            {
                var incidents = list["incidents"]!.AsArray().Where(i => parse.GetValue(all) || i!["isOpen"]!.GetValue<bool>()).ToList();
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(new JsonObject { ["now"] = list["now"]?.DeepClone(), ["incidents"] = new JsonArray([.. incidents.Select(i => i!.DeepClone())]) }.ToJsonString(s_indented));
                }
                else
                {
                    CliTable.Write(context, ["incident", "severity", "owner", "detected", "state", "suspected"], incidents.Select(i => (IReadOnlyList<string>)
                    [
                        IdentityCommand.Text(i, "id"),
                        IdentityCommand.Text(i, "severity"),
                        IdentityCommand.Text(i, "triageOwner"),
                        IdentityCommand.Text(i, "detectedAt"),
                        i!["isOpen"]!.GetValue<bool>() ? (i["isDrill"]!.GetValue<bool>() ? "open (drill)" : "open") : "closed",
                        IdentityCommand.Text(i, "suspected"),
                    ]));
                    foreach (var incident in incidents.Where(i => i!["notifications"]!.AsArray().Count > 0))
                    {
                        context.Out.WriteLine();
                        context.Out.WriteLine($"clocks of {incident!["id"]}:");
                        WriteClocks(context, incident);
                    }

                    foreach (var incident in incidents.Where(i => i!["serviceLevels"]?.AsArray().Count > 0))
                    {
                        context.Out.WriteLine();
                        context.Out.WriteLine($"service levels of {incident!["id"]}:");
                        WriteServiceLevels(context, incident);
                    }
                }

                var overdue = incidents.SelectMany(i => i!["notifications"]!.AsArray().Where(n => n!["isOverdue"]!.GetValue<bool>()).Select(n => $"{i["id"]} → {n!["whom"]} (due {n["due"]})")).ToList();
                return overdue.Count == 0
                    ? ExitCodes.Ok
                    : context.Fail(CliErrorCodes.NotificationOverdue, $"{overdue.Count} notification(s) overdue: {string.Join("; ", overdue)}");
            }, cancellationToken);
        });
        return command;
    }

    private static Command CreatePostmortem(TextWriter stdout, TextWriter stderr)
    {
        var id = IncidentId();
        var redacted = new Option<bool>("--without-personal-data") { Description = "The export for partners: responders become responder-1, ...; e-mail addresses removed" };
        var (workspace, url, json) = Common();
        var command = new Command("postmortem", "The blameless postmortem of a closed incident, its timeline generated from the log") { id, redacted, workspace, url, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = $"v1/incidents/{Uri.EscapeDataString(parse.GetValue(id)!)}/postmortem{(parse.GetValue(redacted) ? "?withoutPersonalData=true" : string.Empty)}";
            return SendAsync(context, parse, workspace, url, HttpMethod.Get, path, null, 200, postmortem =>
            {
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(postmortem.ToJsonString(s_indented));
                    return ExitCodes.Ok;
                }

                context.Out.WriteLine($"# Postmortem of incident {postmortem["incidentId"]}");
                context.Out.WriteLine();
                context.Out.WriteLine($"Root cause: {postmortem["rootCause"]}");
                context.Out.WriteLine();
                context.Out.WriteLine("Timeline (from the log):");
                foreach (var line in postmortem["timeline"]!.AsArray())
                {
                    context.Out.WriteLine($"- [{line!["index"]}] {line["at"]} {line["what"]}");
                }

                Section(context, "Fixes", postmortem["fixes"]!.AsArray());
                Section(context, "Policy changes", postmortem["policyChanges"]!.AsArray());
                return ExitCodes.Ok;
            }, cancellationToken);
        });
        return command;
    }

    private static void Section(CliContext context, string title, JsonArray items)
    {
        context.Out.WriteLine();
        context.Out.WriteLine($"{title}:");
        foreach (var item in items)
        {
            context.Out.WriteLine($"- {item}");
        }
    }

    private static void WriteClocks(CliContext context, JsonNode incident)
    {
        CliTable.Write(context, ["whom", "rule", "due (UTC)", "due (local)", "left", "state"], incident["notifications"]!.AsArray().Select(n => (IReadOnlyList<string>)
        [
            IdentityCommand.Text(n, "whom"),
            IdentityCommand.Text(n, "rule"),
            IdentityCommand.Text(n, "due"),
            $"{IdentityCommand.Text(n, "dueLocal")} {IdentityCommand.Text(n, "timeZone")}",
            Left(n!["secondsLeft"]!.GetValue<long>()),
            n["givenAt"] is { } given ? $"given {given}" : n["isOverdue"]!.GetValue<bool>() ? CliTable.Overdue : "pending",
        ]));
    }

    private static void WriteServiceLevels(CliContext context, JsonNode incident)
    {
        CliTable.Write(context, ["term", "due (UTC)", "left", "agreements", "state"], incident["serviceLevels"]!.AsArray().Select(c => (IReadOnlyList<string>)
        [
            IdentityCommand.Text(c, "term"),
            IdentityCommand.Text(c, "due"),
            Left(c!["secondsLeft"]!.GetValue<long>()),
            string.Join(", ", c["agreements"]!.AsArray().Select(a => a!.GetValue<string>())),
            c["isBreached"]!.GetValue<bool>() ? CliTable.Breached : c["metAt"] is { } met ? $"met {met}" : "pending",
        ]));
    }

    /// <summary>The time left as days, hours and minutes; negative once past.</summary>
    internal static string Left(long seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Abs(seconds));
        var text = span.Days > 0 ? $"{span.Days}d {span.Hours}h {span.Minutes}m" : $"{span.Hours}h {span.Minutes}m";
        return seconds < 0 ? $"-{text}" : text;
    }

    private static Argument<string> IncidentId() => new("incident") { Description = "The incident id (`inc_...`), as `incident status` lists it" };

    private static (Option<string> Workspace, Option<string?> Url, Option<bool> Json) Common() =>
        (WorkspaceOptions.Workspace(), WorkspaceOptions.Url(), new Option<bool>("--json") { Description = "Write the answer as JSON" });

    /// <summary>Reads an RFC 3339 option; an absent one is null; a malformed one fails the verb with <c>CLI1760</c>.</summary>
    internal static bool TryTime(CliContext context, string? text, string option, out DateTimeOffset? time, out int failed)
    {
        time = null;
        failed = ExitCodes.Ok;
        if (text is null)
        {
            return true;
        }

        if (!Rfc3339.TryParseUtc(text, out var parsed, out var error))
        {
            failed = context.Fail(CliErrorCodes.IncidentTimeInvalid, $"`{option}`: `{text}` is not an RFC 3339 time: {error}");
            return false;
        }

        time = parsed;
        return true;
    }

    private static Task<int> SendAsync(CliContext context, ParseResult parse, Option<string> workspace, Option<string?> url, HttpMethod method, string path, object? body, int expected, Func<JsonNode, int> onAnswer, CancellationToken cancellationToken) =>
        GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
        {
            var (status, answer) = body is null
                ? await client.SendAsync(method, path, null, cancellationToken).ConfigureAwait(false)
                : await client.SendJsonAsync(method, path, body, cancellationToken).ConfigureAwait(false);
            return status != expected || answer is null ? GatewayClient.Fail(context, status, answer) : onAnswer(answer);
        });
}
