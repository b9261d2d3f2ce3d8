using System.CommandLine;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat token revoke TOKEN-ID</c>: revokes one token on a running gateway and stops the streams opened with it.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var tokenId = new Argument<string>("token-id") { Description = "The token's id (`tok_...`), as the access review or the log names it; never the bearer value" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var revoke = new Command("revoke", "Revoke one token at once (logged) and stop the streams opened with it") { tokenId, workspace, url };
        revoke.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            return GatewayClient.RunAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), async client =>
            {
                var id = parse.GetValue(tokenId)!;
                var (status, body) = await client.SendAsync(HttpMethod.Delete, $"v1/tokens/{Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
                if (status != 204)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                context.Out.WriteLine($"revoked token {id}");
                return ExitCodes.Ok;
            });
        });
        return new Command("token", "Revoke tokens on a running gateway") { revoke };
    }
}
