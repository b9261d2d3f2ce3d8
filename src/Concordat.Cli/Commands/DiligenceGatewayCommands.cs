using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat diligence upload|list</c>: hands an assessor's signed record to the running gateway, which checks it
/// against the keys the operator pinned and keeps it for the agreements that require it, and lists the records it
/// holds. They talk to a gateway, as the operator verbs do, so they live apart from the offline verbs of
/// <see cref="DiligenceCommand"/>, whose group lists them.
/// </summary>
internal static class DiligenceGatewayCommands
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary><c>diligence upload RECORD [--json]</c>.</summary>
    public static Command Upload(TextWriter stdout, TextWriter stderr)
    {
        var record = new Argument<FileInfo>("RECORD") { Description = "The envelope `diligence sign` wrote" };
        var json = new Option<bool>("--json") { Description = "Write the record the gateway holds as JSON" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var command = new Command("upload", "Upload an assessor's signed due-diligence record to the running gateway (its key must be pinned there)") { record, json, workspace, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var file = parse.GetValue(record)!;
            if (CliPaths.FileProblem(file.FullName) is { } problem)
            {
                return context.Fail(CliErrorCodes.OperatorFileMissing, problem);
            }

            return await GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                // Invariant: the envelope goes as it was signed, byte for byte: the gateway names it by the SHA-256 of these bytes.
                using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var (status, body) = await client.SendAsync(HttpMethod.Post, "v1/diligence", content, cancellationToken).ConfigureAwait(false);
                if (status != 201 || body is not JsonObject held)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                context.Out.WriteLine(parse.GetValue(json)
                    ? held.ToJsonString(s_indented)
                    : $"the gateway holds the due-diligence record of `{IdentityCommand.Text(held, "party")}` ({IdentityCommand.Text(held, "overall")}, {Result(held)}), assessed by `{IdentityCommand.Text(held, "assessor")}` at {IdentityCommand.Text(held, "assessedAt")}: {IdentityCommand.Text(held, "envelope")}");
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary><c>diligence list [--party P] [--json]</c>.</summary>
    public static Command List(TextWriter stdout, TextWriter stderr)
    {
        var party = new Option<string?>("--party") { Description = "Only the records of this party or subprocessor" };
        var json = new Option<bool>("--json") { Description = "Write the list as JSON" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var command = new Command("list", "List the due-diligence records the running gateway holds, by party") { party, json, workspace, url };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                var (status, body) = await client.SendAsync(HttpMethod.Get, "v1/diligence", null, cancellationToken).ConfigureAwait(false);
                if (status != 200 || body is not JsonArray all)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                var records = parse.GetValue(party) is { } only ? [.. all.Where(r => IdentityCommand.Text(r, "party") == only)] : all.ToList();
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(new JsonArray([.. records.Select(r => r?.DeepClone())]).ToJsonString(s_indented));
                    return ExitCodes.Ok;
                }

                CliTable.Write(context, ["party", "questionnaire", "version", "overall", "result", "assessor", "assessed at", "envelope"], records.Select(r => (IReadOnlyList<string>)
                [
                    IdentityCommand.Text(r, "party"),
                    IdentityCommand.Text(r, "questionnaire"),
                    IdentityCommand.Text(r, "version"),
                    IdentityCommand.Text(r, "overall"),
                    Result(r),
                    IdentityCommand.Text(r, "assessor"),
                    IdentityCommand.Text(r, "assessedAt"),
                    IdentityCommand.Text(r, "envelope"),
                ]));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static string Result(JsonNode? record) => record?["passed"]?.GetValueKind() == JsonValueKind.True ? "passed" : "not passed";
}
