using System.CommandLine;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat seal RECIPIENT --reason TEXT</c> and <c>concordat unseal RECIPIENT --reason TEXT</c>: the operator's
/// acts on a running gateway.
/// </summary>
internal static class SealCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) => Build("seal", "Revoke every token and secret of a recipient at once and stop its streams", stdout, stderr);

    public static Command CreateUnseal(TextWriter stdout, TextWriter stderr) => Build("unseal", "Lift a seal on a recipient (explicit and logged; revoked credentials stay revoked)", stdout, stderr);

    private static Command Build(string verb, string description, TextWriter stdout, TextWriter stderr)
    {
        var recipient = new Argument<string>("recipient") { Description = "The recipient party id" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the log" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var command = new Command(verb, description) { recipient, reason, workspace, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            using var client = GatewayClient.TryCreate(parse.GetValue(workspace)!, parse.GetValue(url), out var error);
            if (client is null)
            {
                return context.Fail(CliErrorCodes.GatewayUnreachable, error!);
            }

            var id = Uri.EscapeDataString(parse.GetValue(recipient)!);
            var (status, body) = await client.SendJsonAsync(HttpMethod.Post, $"v1/recipients/{id}/{verb}", new { reason = parse.GetValue(reason) }, cancellationToken).ConfigureAwait(false);
            if (status != 200)
            {
                return GatewayClient.Fail(context, status, body);
            }

            context.Out.WriteLine(verb == "seal"
                ? $"sealed `{body?["recipient"]}`: {body?["tokensRevoked"]} token(s) and {body?["identitiesRevoked"]} identity(ies) revoked, {body?["streamsStopped"]} stream(s) stopped; enforced in {body?["enforcementMilliseconds"]?.GetValue<double>():F1} ms"
                : $"unsealed `{body?["recipient"]}`: {body?["note"]}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
