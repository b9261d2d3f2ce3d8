using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Incidents.Kpi;
using Concordat.Log;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat kpi [--agreement A] [--from T] [--to T] [--bundle FILE]</c>: the response figures computed from log
/// entries alone, read from the running gateway or from an exported log; the same log gives the same figures.
/// </summary>
internal static class KpiCommand
{
    private const int Page = 1000;

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var agreement = new Option<string?>("--agreement") { Description = "Only this agreement's recipients (as the log's decisions name them) and incidents" };
        var from = new Option<string?>("--from") { Description = "Count alerts and incidents from this time (RFC 3339, inclusive)" };
        var to = new Option<string?>("--to") { Description = "Count alerts and incidents before this time (RFC 3339)" };
        var bundle = new Option<string?>("--bundle") { Description = "An exported log (`concordat log export`) to read instead of the running gateway's" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var json = new Option<bool>("--json") { Description = "Write the figures as JSON" };
        var command = new Command("kpi", "Time to detect, contain and notify, exposure events, rows and bytes before containment, privacy budget spent: from the log alone") { agreement, from, to, bundle, workspace, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!IncidentCommand.TryTime(context, parse.GetValue(from), "--from", out var start, out var failed) || !IncidentCommand.TryTime(context, parse.GetValue(to), "--to", out var end, out failed))
            {
                return failed;
            }

            var kpis = new IncidentKpis(parse.GetValue(agreement), start, end);
            int? problem;
            if (parse.GetValue(bundle) is { } file)
            {
                problem = await CliTable.ProgressAsync(context, "reading the export", () => ReadExportAsync(context, file, kpis.Read, CliErrorCodes.KpiLogUnreadable, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                problem = await GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), client =>
                    CliTable.ProgressAsync(context, "reading the gateway's log", () => ReadGatewayAsync(context, client, kpis.Read, cancellationToken))).ConfigureAwait(false);
            }

            if (problem is not ExitCodes.Ok)
            {
                return problem.Value;
            }

            Write(context, kpis.Report(), parse.GetValue(json));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliContext context, KpiReport report, bool json)
    {
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(report, s_json));
            return;
        }

        CliTable.Write(context, ["figure", "value"],
        [
            ["period", $"{Time(report.From) ?? "start"} to {Time(report.To) ?? "end"}"],
            ["agreement", report.Agreement ?? "all"],
            ["alerts", Count(report.Alerts)],
            ["incidents", Count(report.Incidents)],
            ["drills (not counted)", Count(report.Drills)],
            ["time to detect", Durations(report.TimeToDetect)],
            ["time to contain", Durations(report.TimeToContain)],
            ["time to notify", Durations(report.TimeToNotify)],
            ["alerts not contained", Count(report.Uncontained)],
            ["data-exposure events", Count(report.DataExposureEvents)],
            ["rows before containment", Count(report.RowsBeforeContainment)],
            ["bytes before containment", Count(report.BytesBeforeContainment)],
            ["aggregate queries", Count(report.AggregateQueries)],
            ["privacy budget spent (zCDP ρ)", report.RhoSpent],
        ]);
    }

    private static string? Time(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Durations(KpiDurations d) => d.Count == 0
        ? "none measured"
        : string.Create(CultureInfo.InvariantCulture, $"median {d.MedianSeconds:0.###} s, max {d.MaxSeconds:0.###} s ({d.Count})");

    /// <summary>
    /// Reads the entry lines of a log export (docs/formats/log-export.md) into <paramref name="read"/>; the other lines
    /// are checked by `log verify --bundle`. A missing or malformed file fails the verb with <paramref name="unreadable"/>.
    /// </summary>
    internal static async Task<int> ReadExportAsync(CliContext context, string file, Action<long, LogEntry> read, CliErrorCode unreadable, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            return context.Fail(unreadable, $"no file `{file}`");
        }

        await using var stream = File.OpenRead(file);
        try
        {
            await foreach (var (index, entry) in LogExportEntries.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                read(index, entry);
            }
        }
        catch (InvalidDataException error)
        {
            return context.Fail(unreadable, $"`{file}`: {error.Message}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Reads every entry of the running gateway's log, page by page, into <paramref name="read"/>.</summary>
    internal static async Task<int> ReadGatewayAsync(CliContext context, GatewayClient client, Action<long, LogEntry> read, CancellationToken cancellationToken)
    {
        for (var cursor = 0L; ;)
        {
            var (status, page) = await client.SendAsync(HttpMethod.Get, $"v1/log/entries?cursor={cursor}&limit={Page}", null, cancellationToken).ConfigureAwait(false);
            if (status != 200 || page?["entries"] is not JsonArray entries || page["nextCursor"] is null)
            {
                return GatewayClient.Fail(context, status, page);
            }

            foreach (var entry in entries)
            {
                // Invariant: the same bytes an export carries, parsed the same way, so both give the same figures.
                TryRead(entry?["index"], entry?["bytes"], read);
            }

            var next = page["nextCursor"]!.GetValue<long>();
            if (entries.Count == 0 || next == cursor)
            {
                return ExitCodes.Ok;
            }

            cursor = next;
        }
    }

    private static bool TryRead(JsonNode? index, JsonNode? bytes, Action<long, LogEntry> read)
    {
        if (index is not JsonValue i || !i.TryGetValue<long>(out var n) || bytes?.ToString() is not { } text)
        {
            return false;
        }

        byte[] raw;
        try
        {
            raw = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!LogEntry.TryParse(raw, out var entry, out _))
        {
            return false;
        }

        read(n, entry);
        return true;
    }
}
