using System.CommandLine;
using System.Text;
using System.Text.Json;
using Concordat.Incidents.Sharing;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat incident export-stix|import-stix</c>: an incident's indicators as a STIX 2.1 bundle for partners, and a
/// partner's bundle taken in by the gateway (docs/formats/stix.md).
/// </summary>
internal static class IncidentStixCommands
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command CreateExport(TextWriter stdout, TextWriter stderr)
    {
        var id = new Argument<string>("incident") { Description = "The incident id (`inc_...`), as `incident status` lists it" };
        var tlp = new Option<string>("--tlp") { Description = "The TLP 2.0 marking of every object: clear, green, amber, amber+strict or red", DefaultValueFactory = _ => "amber" };
        tlp.AcceptOnlyFromAmong("clear", "green", "amber", "amber+strict", "red");
        var sharer = new Option<string>("--sharer") { Description = "The name of the identity sharing the bundle (your organisation or gateway)", DefaultValueFactory = _ => "Concordat gateway" };
        var bundle = new Option<string?>("--bundle") { Description = "An exported log (`concordat log export`) to read instead of the running gateway's" };
        var output = new Option<string?>("--out") { Description = "Write the bundle to this file (written whole or not at all) instead of standard output" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var command = new Command("export-stix", "An incident's indicators (identities, tokens, alert kinds, times) as a STIX 2.1 bundle with a TLP 2.0 marking; no data from datasets")
        {
            id, tlp, sharer, bundle, output, workspace, url,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var export = new StixExport();
            int? problem;
            if (parse.GetValue(bundle) is { } file)
            {
                problem = await CliTable.ProgressAsync(context, "reading the export", () => KpiCommand.ReadExportAsync(context, file, export.Read, CliErrorCodes.KpiLogUnreadable, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                problem = await GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), client =>
                    CliTable.ProgressAsync(context, "reading the gateway's log", () => KpiCommand.ReadGatewayAsync(context, client, export.Read, cancellationToken))).ConfigureAwait(false);
            }

            if (problem is not ExitCodes.Ok)
            {
                return problem.Value;
            }

            var incident = parse.GetValue(id)!;
            if (!export.TryBuild(incident, ParseTlp(parse.GetValue(tlp)!), parse.GetValue(sharer)!, out var stix))
            {
                return context.Fail(CliErrorCodes.StixIncidentNotInLog, $"no incident `{incident}` in the log read");
            }

            var text = stix.ToJsonString(s_indented);
            if (parse.GetValue(output) is not { } path)
            {
                context.Out.WriteLine(text);
                return ExitCodes.Ok;
            }

            // Written beside the target, then moved: a reader never sees half a bundle.
            var temporary = path + ".partial";
            await File.WriteAllTextAsync(temporary, text + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
            context.Out.WriteLine($"wrote {stix["objects"]!.AsArray().Count} STIX objects of incident {incident} to {path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateImport(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("bundle") { Description = "The partner's STIX 2.1 bundle (JSON), such as one `incident export-stix` wrote" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var json = new Option<bool>("--json") { Description = "Write the answer as JSON" };
        var command = new Command("import-stix", "Take in a partner's STIX 2.1 bundle: indicators naming this gateway's identities or tokens become `shared-indicator` alerts, sealing where an agreement says so")
        {
            file, workspace, url, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                return context.Fail(CliErrorCodes.StixBundleUnreadable, $"no file `{path}`");
            }

            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return await GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                using var content = new ByteArrayContent(bytes);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                var (status, answer) = await client.SendAsync(HttpMethod.Post, "v1/indicators", content, cancellationToken).ConfigureAwait(false);
                if (status != 200 || answer is null)
                {
                    return GatewayClient.Fail(context, status, answer);
                }

                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(answer.ToJsonString(s_indented));
                    return ExitCodes.Ok;
                }

                var matches = answer["matches"]!.AsArray();
                context.Out.WriteLine($"{answer["indicators"]} indicator(s) in {answer["objects"]} object(s); {matches.Count} named an identity or token of this gateway");
                CliTable.Write(context, ["indicator", "recipient", "identity", "token", "alert", "sealed under"], matches.Select(m => (IReadOnlyList<string>)
                [
                    IdentityCommand.Text(m, "indicator"),
                    IdentityCommand.Text(m, "recipient"),
                    IdentityCommand.Text(m, "clientId"),
                    IdentityCommand.Text(m, "tokenId"),
                    IdentityCommand.Text(m, "alert"),
                    string.Join(", ", m!["autoSeal"]!.AsArray().Select(a => a!.GetValue<string>())),
                ]));
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static TlpLevel ParseTlp(string name) => name switch
    {
        "clear" => TlpLevel.Clear,
        "green" => TlpLevel.Green,
        "red" => TlpLevel.Red,
        "amber+strict" => TlpLevel.AmberStrict,
        _ => TlpLevel.Amber,
    };
}
