using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat agreement list [--json]</c>: the agreement versions a running gateway stores, and their states. It talks
/// to a gateway, as <see cref="AgreementUploadCommand"/> does; the <c>agreement</c> group lists it.
/// </summary>
internal static class AgreementListCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var json = new Option<bool>("--json") { Description = "Write the list as JSON" };
        var command = new Command("list", "List the agreement versions the running gateway stores: active, superseded, pending") { workspace, url, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                var (status, body) = await client.SendAsync(HttpMethod.Get, "v1/agreements", null, cancellationToken).ConfigureAwait(false);
                if (status != 200 || body is not JsonArray versions)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(versions.ToJsonString(s_indented));
                    return ExitCodes.Ok;
                }

                CliTable.Write(context, ["agreement", "version", "state", "digest"], versions.Select(v => (IReadOnlyList<string>)
                [
                    IdentityCommand.Text(v, "agreement"),
                    IdentityCommand.Text(v, "version"),
                    IdentityCommand.Text(v, "state"),
                    IdentityCommand.Text(v, "digest"),
                ]));
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
