using System.CommandLine;
using System.Text.Json.Nodes;
using Concordat.Agreements.Signatures;
using Concordat.Core;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat agreement upload FILE [--signatures FILE]</c>: uploads an agreement version and its signatures to
/// the running gateway, which activates it when it is valid and fully signed. It talks to a gateway, as the operator
/// verbs do, so it lives apart from the verbs of <see cref="AgreementCommand"/> that work on files.
/// </summary>
internal static class AgreementUploadCommand
{
    /// <summary><c>agreement upload</c>; the <c>agreement</c> group (<see cref="AgreementCommand"/>) lists it.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The agreement's YAML source, exactly as signed" };
        var signatures = new Option<FileInfo?>("--signatures") { Description = "The signature file; defaults to the one next to FILE (.sigs.json)" };
        var termination = new Option<bool>("--termination") { Description = "Upload the termination record next to FILE (.termination.json, from `concordat agreement terminate`) instead of the agreement" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var command = new Command("upload", "Upload an agreement version and its signatures, or with --termination its signed termination, to the running gateway") { file, signatures, termination, workspace, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var source = parse.GetValue(file)!;
            var signaturePath = parse.GetValue(signatures)?.FullName ?? SignatureFile.PathFor(source.FullName);
            if (CliPaths.FileProblem(source.FullName) is { } problem)
            {
                return context.Fail(CliErrorCodes.OperatorFileMissing, problem);
            }

            using var client = GatewayClient.TryCreate(parse.GetValue(workspace)!, parse.GetValue(url), out var error);
            if (client is null)
            {
                return context.Fail(CliErrorCodes.GatewayUnreachable, error!);
            }

            if (parse.GetValue(termination))
            {
                return await UploadTerminationAsync(context, client, TerminationFile.PathFor(source.FullName), cancellationToken).ConfigureAwait(false);
            }

            var upload = new
            {
                document = await File.ReadAllTextAsync(source.FullName, cancellationToken).ConfigureAwait(false),
                signatures = File.Exists(signaturePath) ? await File.ReadAllTextAsync(signaturePath, cancellationToken).ConfigureAwait(false) : null,
            };
            var (status, body) = await client.SendJsonAsync(HttpMethod.Post, "v1/agreements", upload, cancellationToken).ConfigureAwait(false);
            if (status != 201)
            {
                // Only the gateway's refusal for due diligence not met (GW6911) carries `diligence`, one item per requirement.
                return body?["diligence"] is JsonArray unmet && unmet.Count > 0 && body["code"]?.GetValue<string>() is { } code
                    ? DiligenceUnmet(context, code, unmet)
                    : GatewayClient.Fail(context, status, body);
            }

            var supersedes = body?["supersedes"] is { } v ? $", supersedes version {v}" : string.Empty;
            context.Out.WriteLine($"agreement `{body?["agreement"]}` version {body?["version"]} is active ({body?["digest"]}{supersedes})");
            if (body?["verdict"] is { } verdict)
            {
                context.Out.WriteLine($"against the version it supersedes: {verdict}");
            }

            // The gateway names the datasets whose imported version no longer fits the schema: their rows are refused until re-imported.
            foreach (var warning in body?["warnings"]?.AsArray() ?? [])
            {
                context.Error.WriteLine($"warning: {warning}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // The agreement is valid and signed, but refused until its parties' records are held: one line per requirement not
    // met, and exit 2 (refused, not invalid), so a script can tell "fix the document" from "upload the records first".
    private static int DiligenceUnmet(CliContext context, string code, JsonArray unmet)
    {
        var help = "upload a fresh record for each party named with `concordat diligence upload`, then upload the version again";
        context.WriteDiagnostics([.. unmet.Select((u, i) => new Diagnostic(code, DiagnosticSeverity.Error, (u is JsonObject item ? item["message"] : u)?.ToString() ?? string.Empty, null, i == unmet.Count - 1 ? help : null))]);
        return ExitCodes.Denied;
    }

    private static async Task<int> UploadTerminationAsync(CliContext context, GatewayClient client, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return context.Fail(CliErrorCodes.OperatorFileMissing, $"file `{path}` does not exist");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var record = TerminationFile.Read(text, Path.GetFileName(path), out var problems);
        if (record is null)
        {
            context.WriteDiagnostics(problems);
            return ExitCodes.Invalid;
        }

        var (status, body) = await client.SendJsonAsync(HttpMethod.Post, $"v1/agreements/{Uri.EscapeDataString(record.Agreement.Value)}/terminations", new { termination = text }, cancellationToken).ConfigureAwait(false);
        if (status != 201)
        {
            return GatewayClient.Fail(context, status, body);
        }

        context.Out.WriteLine($"agreement `{body?["agreement"]}` version {body?["version"]} terminates at {body?["terminatesAt"]}");
        return ExitCodes.Ok;
    }
}
