using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat access review [--json]</c>: who can do what right now, and why, from the running gateway.
/// </summary>
internal static class AccessCommand
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var json = new Option<bool>("--json") { Description = "Write the review as JSON" };
        var review = new Command("review", "List every live identity: its role, the grants that apply and why, its live tokens") { workspace, url, json };
        review.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            using var client = GatewayClient.TryCreate(parse.GetValue(workspace)!, parse.GetValue(url), out var error);
            if (client is null)
            {
                return context.Fail(CliErrorCodes.GatewayUnreachable, error!);
            }

            var (status, body) = await client.SendAsync(HttpMethod.Get, "v1/access-review", null, cancellationToken).ConfigureAwait(false);
            if (status != 200)
            {
                return GatewayClient.Fail(context, status, body);
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(body!.ToJsonString(s_indented));
                return ExitCodes.Ok;
            }

            Write(context, body!);
            return ExitCodes.Ok;
        });
        return new Command("access", "Review who can access what") { review };
    }

    // Two tables (grants, live tokens) under a one-line summary; the same facts as --json, tables as CliTable draws them.
    private static void Write(CliContext context, JsonNode review)
    {
        var identities = review["identities"]!.AsArray();
        context.Out.WriteLine($"access review at {review["at"]}: {identities.Count} live identity(ies)");
        var grants = new List<IReadOnlyList<string>>();
        var tokens = new List<IReadOnlyList<string>>();
        foreach (var identity in identities)
        {
            var sealedText = identity!["isSealed"]!.GetValue<bool>() ? " (sealed)" : string.Empty;
            var who = $"{identity["recipient"]} / {identity["clientId"]}{sealedText}";
            foreach (var grant in identity["grants"]!.AsArray())
            {
                var actions = grant!["actions"]!.AsArray();
                var grantActions = grant["grantActions"]?.AsArray() ?? actions;
                var state = grant["status"]?.GetValue<string>() switch
                {
                    "role-excludes" => $"role {identity["role"]} allows none of its actions",
                    "sealed" => "suspended by the seal",
                    "outside-window" => "not in force now",
                    _ => grant["isInForce"]!.GetValue<bool>() ? "in force" : "not in force now",
                };
                var what = actions.Count == 0 ? "cannot " + string.Join(", ", grantActions) : "can " + string.Join(", ", actions);
                grants.Add([who, $"{identity["role"]}", what, string.Join(", ", grant["datasets"]!.AsArray()), string.Join(", ", grant["purposes"]!.AsArray()), $"{grant["agreement"]} v{grant["version"]} {grant["clause"]}", state]);
            }

            foreach (var token in identity["liveTokens"]!.AsArray())
            {
                var dataset = token!["kind"]?.GetValue<string>() == "share" ? "every table of its shares (Delta Sharing)" : $"{token["dataset"]}";
                tokens.Add([who, $"{token["tokenId"]}", dataset, $"{token["purpose"]}", $"{token["jurisdiction"]}", $"{token["expiresAt"]}"]);
            }
        }

        CliTable.Write(context, ["identity", "role", "access", "datasets", "purposes", "clause", "why"], grants);
        if (tokens.Count > 0)
        {
            context.Out.WriteLine("live tokens:");
            CliTable.Write(context, ["identity", "token", "dataset", "purpose", "jurisdiction", "expires"], tokens);
        }
    }
}
