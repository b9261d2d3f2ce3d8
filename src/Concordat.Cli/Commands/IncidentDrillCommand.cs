using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway;
using Concordat.Incidents.Detection;
using Concordat.Storage.Sqlite;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat incident drill --workspace W --recipient R</c>: a scripted exercise on a throwaway copy of a workspace. A
/// drill identity of the recipient asks for tokens the agreements deny until the detectors notice, the gateway opens
/// an incident (marked a drill), and the playbook runs on it (acknowledge, seal, snapshot, notify each clock,
/// remediate, close); each step is timed. The workspace itself is only read.
/// </summary>
internal static class IncidentDrillCommand
{
    /// <summary>The purpose the drill's requests name: no agreement grants it, so each is denied and logged.</summary>
    internal const string ProbePurpose = "concordat-drill-probe";

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var workspace = WorkspaceOptions.Workspace();
        var recipient = new Option<string>("--recipient") { Description = "The recipient whose traffic turns anomalous in the drill", Required = true };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the detectors before the drill fails", DefaultValueFactory = _ => 30 };
        var keep = new Option<bool>("--keep") { Description = "Keep the throwaway copy (its path is printed) instead of deleting it" };
        var json = new Option<bool>("--json") { Description = "Write the drill's report as JSON" };
        var command = new Command("drill", "Run a scripted incident exercise on a throwaway copy of the workspace and time each step: anomalous traffic, detection, the playbook")
        {
            workspace, recipient, timeout, keep, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var seconds = parse.GetValue(timeout);
            if (seconds is < 1 or > 3600)
            {
                return context.Fail(CliErrorCodes.DrillInvalid, $"`--timeout`: {seconds} is not between 1 and 3600 seconds");
            }

            return await RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(recipient)!, TimeSpan.FromSeconds(seconds), parse.GetValue(keep), parse.GetValue(json), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string workspace, string recipient, TimeSpan timeout, bool keep, bool json, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(workspace, SqliteStoreEngine.LogFileName)))
        {
            return context.Fail(CliErrorCodes.DrillInvalid, $"workspace `{workspace}` has no log in SQLite (`{SqliteStoreEngine.LogFileName}`)", "a drill copies a workspace of the embedded store; run it on such a workspace");
        }

        var copy = Directory.CreateTempSubdirectory("concordat-drill-").FullName;
        try
        {
            var drill = new Drill(recipient);
            var copied = Stopwatch.GetTimestamp();
            try
            {
                SqliteStoreEngine.CopyWorkspace(workspace, copy);
                WarmAtOnce(copy);
                Quiet(copy);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
            {
                return context.Fail(CliErrorCodes.WorkspaceUnavailable, $"cannot copy workspace `{workspace}`: {ex.Message}");
            }

            drill.Steps.Add(new DrillStep("copy the workspace", Stopwatch.GetElapsedTime(copied)));
            var quiet = new CliContext(TextWriter.Null, context.Error, context.IsJsonErrors, context.IsVerbose);
            var options = new GatewayOptions { Workspace = copy, Urls = "http://127.0.0.1:0", IsDrill = true };
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var exit = ExitCodes.Ok;
            var served = await ServeCommand.RunAsync(quiet, options, store: null, async address =>
            {
                try
                {
                    exit = await RunStepsAsync(context, copy, address, drill, timeout, stop.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException ex)
                {
                    exit = context.Fail(CliErrorCodes.GatewayUnreachable, $"the drill's gateway stopped answering: {ex.Message}");
                }
                finally
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }, stop.Token).ConfigureAwait(false);
            if (served != ExitCodes.Ok || exit != ExitCodes.Ok)
            {
                return served != ExitCodes.Ok ? served : exit;
            }

            Write(context, drill, keep ? copy : null, json);
            return ExitCodes.Ok;
        }
        finally
        {
            if (!keep)
            {
                // The drill's gateway has stopped by now; its store released the files when it was disposed.
                Directory.Delete(copy, recursive: true);
            }
        }
    }

    // The detectors judge nobody in their first hours (they learn first); a drill has no hours to spare, so its copy
    // judges at once, keeping the workspace's other thresholds.
    private static void WarmAtOnce(string copy)
    {
        var path = Path.Combine(copy, DetectionOptionsReader.FileName);
        var settings = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        settings["warmupHours"] = 0;
        settings["warmupActiveHours"] = 0;
        File.WriteAllText(path, settings.ToJsonString());
    }

    // The drill's gateway runs inside this command: its log lines would interleave with the report (and break --json).
    private static void Quiet(string copy)
    {
        var path = Path.Combine(copy, "appsettings.json");
        var settings = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        settings["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "None" } };
        File.WriteAllText(path, settings.ToJsonString());
    }

    private static async Task<int> RunStepsAsync(CliContext context, string copy, string address, Drill drill, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = GatewayClient.TryCreate(copy, address, out var error) ?? throw new InvalidOperationException(error);
        var step = Stopwatch.GetTimestamp();
        var (status, identity) = await client.SendJsonAsync(HttpMethod.Post, $"v1/recipients/{Uri.EscapeDataString(drill.Recipient)}/identities", new { role = "analysis" }, cancellationToken).ConfigureAwait(false);
        if (status != 201)
        {
            return GatewayClient.Fail(context, status, identity);
        }

        drill.Steps.Add(new DrillStep("create a drill identity", Stopwatch.GetElapsedTime(step)));
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{identity!["clientId"]}:{identity["clientSecret"]}")));
        var (_, datasets) = await client.SendAsync(HttpMethod.Get, "v1/datasets", null, cancellationToken).ConfigureAwait(false);
        var dataset = (datasets as JsonArray)?.FirstOrDefault()?["dataset"]?.GetValue<string>() ?? "drill";
        var requests = 2 * (DetectionOptionsReader.Read(await File.ReadAllTextAsync(Path.Combine(copy, DetectionOptionsReader.FileName), cancellationToken).ConfigureAwait(false), out _) ?? DetectionOptions.Default).MinimumDenies;

        var anomalous = Stopwatch.GetTimestamp();
        for (var i = 0; i < requests; i++)
        {
            await client.SendJsonAsync(HttpMethod.Post, "v1/tokens", new { dataset, purpose = ProbePurpose, jurisdiction = "ZZ" }, basic, cancellationToken).ConfigureAwait(false);
        }

        drill.Requests = requests;
        drill.Steps.Add(new DrillStep($"send {requests} requests the agreements deny", Stopwatch.GetElapsedTime(anomalous)));
        step = Stopwatch.GetTimestamp();
        var incident = await DetectedAsync(client, drill.Recipient, timeout, cancellationToken).ConfigureAwait(false);
        if (incident is null)
        {
            return context.Fail(CliErrorCodes.DrillNotDetected, $"no alert for `{drill.Recipient}` within {timeout.TotalSeconds:F0} s of {requests} denied requests", "check the workspace's detection.json thresholds (minimumDenies, minimumDenyShare)");
        }

        drill.IncidentId = incident["id"]!.GetValue<string>();
        drill.TimeToDetect = Stopwatch.GetElapsedTime(anomalous);
        drill.Steps.Add(new DrillStep("detect: the gateway opens a drill incident", Stopwatch.GetElapsedTime(step)));
        var acts = new List<(string Name, object Body)>
        {
            ("acknowledge", new { act = "acknowledge", actor = "drill" }),
            ("seal", new { act = "seal", actor = "drill" }),
            ("snapshot", new { act = "snapshot", actor = "drill" }),
        };
        acts.AddRange(incident["notifications"]!.AsArray().Select(n => ($"notify {n!["whom"]}", (object)new { act = "notify", actor = "drill", whom = n["whom"]!.GetValue<string>() })));
        acts.Add(("remediate", new { act = "remediate", actor = "drill", detail = "drill: revoked the drill identity" }));
        acts.Add(("close", new { act = "close", actor = "drill", rootCause = "a drill" }));
        foreach (var (name, body) in acts)
        {
            step = Stopwatch.GetTimestamp();
            var (actStatus, answer) = await client.SendJsonAsync(HttpMethod.Post, $"v1/incidents/{drill.IncidentId}/acts", body, cancellationToken).ConfigureAwait(false);
            if (actStatus is not (200 or 201))
            {
                return GatewayClient.Fail(context, actStatus, answer);
            }

            drill.Steps.Add(new DrillStep(name, Stopwatch.GetElapsedTime(step)));
            if (name == "seal")
            {
                drill.TimeToContain = Stopwatch.GetElapsedTime(anomalous);
            }
        }

        var (_, final) = await client.SendAsync(HttpMethod.Get, $"v1/incidents/{drill.IncidentId}", null, cancellationToken).ConfigureAwait(false);
        drill.Incident = final;
        return ExitCodes.Ok;
    }

    // The detectors read entries as they become durable, off the request path: the incident appears a moment later.
    private static async Task<JsonNode?> DetectedAsync(GatewayClient client, string recipient, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var (_, incidents) = await client.SendAsync(HttpMethod.Get, "v1/incidents", null, cancellationToken).ConfigureAwait(false);
            var found = (incidents?["incidents"] as JsonArray)?.FirstOrDefault(i =>
                i!["isOpen"]!.GetValue<bool>() && i["isDrill"]!.GetValue<bool>() && i["recipients"]!.AsArray().Any(r => r!.GetValue<string>() == recipient));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static void Write(CliContext context, Drill drill, string? kept, bool json)
    {
        var alerts = drill.Incident?["alerts"]?.AsArray().Select(a => a!.ToString()).ToList() ?? [];
        if (json)
        {
            var report = new JsonObject
            {
                ["recipient"] = drill.Recipient,
                ["incident"] = drill.IncidentId,
                ["requests"] = drill.Requests,
                ["timeToDetectMilliseconds"] = Math.Round(drill.TimeToDetect.TotalMilliseconds, 1),
                ["timeToContainMilliseconds"] = Math.Round(drill.TimeToContain.TotalMilliseconds, 1),
                ["steps"] = new JsonArray([.. drill.Steps.Select(s => (JsonNode)new JsonObject { ["step"] = s.Name, ["milliseconds"] = Math.Round(s.Took.TotalMilliseconds, 1) })]),
                ["final"] = drill.Incident?.DeepClone(),
                ["copy"] = kept,
            };
            context.Out.WriteLine(report.ToJsonString(s_indented));
            return;
        }

        context.Out.WriteLine($"drill on `{drill.Recipient}`: incident {drill.IncidentId} (a drill), alerts at log indexes {string.Join(", ", alerts)}");
        CliTable.Write(context, ["step", "took (ms)"], drill.Steps.Select(s => (IReadOnlyList<string>)[s.Name, s.Took.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)]));
        context.Out.WriteLine($"time to detect {drill.TimeToDetect.TotalMilliseconds:F0} ms, to contain (sealed) {drill.TimeToContain.TotalMilliseconds:F0} ms, from the first anomalous request");
        if (kept is not null)
        {
            context.Out.WriteLine($"the drill's workspace is kept at {kept}");
        }
    }

    private sealed record DrillStep(string Name, TimeSpan Took);

    private sealed class Drill(string recipient)
    {
        public string Recipient { get; } = recipient;

        public List<DrillStep> Steps { get; } = [];

        public int Requests { get; set; }

        public string? IncidentId { get; set; }

        public TimeSpan TimeToDetect { get; set; }

        public TimeSpan TimeToContain { get; set; }

        public JsonNode? Incident { get; set; }
    }
}
