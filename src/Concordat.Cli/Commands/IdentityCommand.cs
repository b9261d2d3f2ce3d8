using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat identity create|list|revoke</c>: a recipient's service identities on a running gateway.
/// </summary>
internal static class IdentityCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("identity", "Create, list and revoke a recipient's service identities (client id and secret, with a role)")
        {
            CreateCreate(stdout, stderr),
            CreateList(stdout, stderr),
            CreateRevoke(stdout, stderr),
        };

    private static Argument<string> Recipient() => new("recipient") { Description = "The recipient party id, as the agreement names it" };

    private static Command CreateCreate(TextWriter stdout, TextWriter stderr)
    {
        var recipient = Recipient();
        var role = new Option<string>("--role") { Description = "What the identity may do: ingestion (nothing out), training (read-rows, download-snapshot), deployment (aggregate-query) or analysis (read-rows, aggregate-query)", Required = true };
        role.AcceptOnlyFromAmong("ingestion", "training", "deployment", "analysis");
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var command = new Command("create", "Create a service identity; its secret is printed this once") { recipient, role, workspace, url };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                var id = Uri.EscapeDataString(parse.GetValue(recipient)!);
                var (status, body) = await client.SendJsonAsync(HttpMethod.Post, $"v1/recipients/{id}/identities", new { role = parse.GetValue(role) }, cancellationToken).ConfigureAwait(false);
                if (status != 201)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                context.Out.WriteLine($"identity {body?["clientId"]} of `{body?["recipient"]}` (role {body?["role"]}); its secret is shown this once:");
                context.Out.WriteLine(body?["clientSecret"]?.GetValue<string>());
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command CreateList(TextWriter stdout, TextWriter stderr)
    {
        var recipient = Recipient();
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var json = new Option<bool>("--json") { Description = "Write the list as JSON" };
        var command = new Command("list", "List a recipient's service identities, live and revoked (never a secret)") { recipient, workspace, url, json };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                var id = Uri.EscapeDataString(parse.GetValue(recipient)!);
                var (status, body) = await client.SendAsync(HttpMethod.Get, $"v1/recipients/{id}/identities", null, cancellationToken).ConfigureAwait(false);
                if (status != 200 || body is not JsonArray identities)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(identities.ToJsonString(s_indented));
                    return ExitCodes.Ok;
                }

                CliTable.Write(context, ["client id", "role", "created", "state"], identities.Select(i => (IReadOnlyList<string>)
                [
                    Text(i, "clientId"),
                    Text(i, "role"),
                    Text(i, "createdAt"),
                    i?["revokedAt"] is { } revoked ? $"revoked {revoked}" : "live",
                ]));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command CreateRevoke(TextWriter stdout, TextWriter stderr)
    {
        var recipient = Recipient();
        var clientId = new Argument<string>("client-id") { Description = "The identity's client id (`cid_...`)" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var command = new Command("revoke", "Revoke a service identity and every token issued to it, at once and logged") { recipient, clientId, workspace, url };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                var path = $"v1/recipients/{Uri.EscapeDataString(parse.GetValue(recipient)!)}/identities/{Uri.EscapeDataString(parse.GetValue(clientId)!)}";
                var (status, body) = await client.SendAsync(HttpMethod.Delete, path, null, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                context.Out.WriteLine($"revoked identity {body?["clientId"]} of `{body?["recipient"]}` and {body?["tokensRevoked"]} token(s) issued to it");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>Reads a member of a JSON object as text; empty when absent.</summary>
    internal static string Text(JsonNode? node, string member) => node?[member]?.ToString() ?? string.Empty;
}
