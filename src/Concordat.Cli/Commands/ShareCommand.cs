using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat share profile</c>: the operator writes a Delta Sharing profile file for a recipient, so that its existing
/// connector reads what its agreements allow.
/// </summary>
internal static class ShareCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("share", "Delta Sharing: profile files for recipients' connectors") { CreateProfile(stdout, stderr) };

    private static Command CreateProfile(TextWriter stdout, TextWriter stderr)
    {
        var recipient = new Option<string>("--recipient") { Description = "The recipient party id, as the agreement names it", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "The purpose every table query of the profile is decided for", Required = true };
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "Where the recipient processes the data", Required = true };
        var output = new Option<string?>("--out") { Description = "The profile file to write (never overwritten; default RECIPIENT.share)" };
        var role = new Option<string>("--role") { Description = "The role of the identity created for the profile: training or analysis (both may read rows)", DefaultValueFactory = _ => "training" };
        role.AcceptOnlyFromAmong("training", "analysis");
        var version = new Option<int>("--profile-version") { Description = "2: the connector refreshes its token with the client id and secret (recommended); 1: a bearer token that lasts 15 minutes", DefaultValueFactory = _ => 2 };
        version.AcceptOnlyFromAmong("1", "2");
        var json = new Option<bool>("--json") { Description = "Write what was done as JSON (never the secret)" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var command = new Command("profile", "Create a service identity for the recipient and write its Delta Sharing profile file, readable by its owner only")
        {
            recipient, purpose, jurisdiction, output, role, version, json, workspace, url,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var party = parse.GetValue(recipient)!;
            var path = parse.GetValue(output) ?? party + ".share";
            if (File.Exists(path))
            {
                return Task.FromResult(context.Fail(CliErrorCodes.ProfileExists, $"`{path}` already exists"));
            }

            return GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                var identityPath = $"v1/recipients/{Uri.EscapeDataString(party)}/identities";
                var (status, identity) = await client.SendJsonAsync(HttpMethod.Post, identityPath, new { role = parse.GetValue(role) }, cancellationToken).ConfigureAwait(false);
                if (status != 201)
                {
                    return GatewayClient.Fail(context, status, identity);
                }

                var clientId = identity!["clientId"]!.GetValue<string>();
                var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{identity["clientSecret"]!.GetValue<string>()}")));
                var request = new { purpose = parse.GetValue(purpose), jurisdiction = parse.GetValue(jurisdiction), shareCredentialsVersion = parse.GetValue(version) };
                var (profileStatus, profile) = await client.SendJsonAsync(HttpMethod.Post, "v1/delta-sharing/profiles", request, basic, cancellationToken).ConfigureAwait(false);

                // Invariant: an identity whose profile was not written is revoked, so no credential is left that nobody holds.
                if (profileStatus != 200 || !CliPaths.TryWrite(context, path, () => SecretFile.WriteNew(path, profile!.ToJsonString(s_indented) + "\n")))
                {
                    await client.SendAsync(HttpMethod.Delete, $"{identityPath}/{Uri.EscapeDataString(clientId)}", null, CancellationToken.None).ConfigureAwait(false);
                    return profileStatus != 200 ? GatewayClient.Fail(context, profileStatus, profile) : ExitCodes.Error;
                }

                var written = new JsonObject
                {
                    ["path"] = path,
                    ["recipient"] = party,
                    ["clientId"] = clientId,
                    ["shareCredentialsVersion"] = parse.GetValue(version),
                    ["endpoint"] = profile!["endpoint"]?.DeepClone(),
                    ["expirationTime"] = profile["expirationTime"]?.DeepClone(),
                };
                context.Out.WriteLine(parse.GetValue(json)
                    ? written.ToJsonString(s_indented)
                    : $"wrote `{path}` (profile version {parse.GetValue(version)}, mode 0600) for identity {clientId} of `{party}`: purpose {parse.GetValue(purpose)}, jurisdiction {parse.GetValue(jurisdiction)}; it holds a secret: send it to the recipient over a secure channel");
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
