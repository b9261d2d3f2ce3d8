using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat dataset import DATASET FILE</c>: imports a CSV or NDJSON file as a new immutable version, through
/// the running gateway; <c>concordat dataset list</c> and <c>concordat dataset versions DATASET [VERSION]</c> read the
/// datasets and their versions (a version with its manifest) from it; <c>concordat dataset erase DATASET --subject
/// VALUE</c> erases a data subject from every stored version (docs/design/erasure.md).
/// </summary>
internal static class DatasetCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var dataset = new Argument<string>("dataset") { Description = "The dataset id, as the agreement declares it" };
        var file = new Argument<FileInfo>("file") { Description = "A .csv or .ndjson file" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var import = new Command("import", "Import a dataset version (CSV or NDJSON) against the schema its agreement declares") { dataset, file, workspace, url };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(file)!;
            if (CliPaths.FileProblem(path.FullName) is { } problem)
            {
                return context.Fail(CliErrorCodes.OperatorFileMissing, problem);
            }

            using var client = GatewayClient.TryCreate(parse.GetValue(workspace)!, parse.GetValue(url), out var error);
            if (client is null)
            {
                return context.Fail(CliErrorCodes.GatewayUnreachable, error!);
            }

            var stream = path.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                var content = new StreamContent(stream);
                content.Headers.ContentType = new MediaTypeHeaderValue(path.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "text/csv" : "application/x-ndjson");
                content.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = path.Name };
                var id = Uri.EscapeDataString(parse.GetValue(dataset)!);
                var (status, body) = await CliTable.ProgressAsync(context, $"importing {path.Name} ({path.Length:N0} bytes) into `{parse.GetValue(dataset)}`", () => client.SendAsync(HttpMethod.Post, $"v1/datasets/{id}/versions", content, cancellationToken)).ConfigureAwait(false);
                if (status != 201)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                context.Out.WriteLine($"imported `{body?["dataset"]}` version {body?["version"]}: {body?["rows"]} row(s), manifest {body?["manifest"]}");
                return ExitCodes.Ok;
            }
        });
        return new Command("dataset", "Manage datasets on a running gateway") { import, List(stdout, stderr), Versions(stdout, stderr), Erase(stdout, stderr) };
    }

    private static Command List(TextWriter stdout, TextWriter stderr)
    {
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var json = new Option<bool>("--json") { Description = "Write the answer as JSON" };
        var command = new Command("list", "List the datasets the agreements in force declare or that have versions, with the newest version") { workspace, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var (exit, body) = await GetAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), "v1/datasets", cancellationToken).ConfigureAwait(false);
            if (body is null || parse.GetValue(json))
            {
                WriteJson(context, body);
                return exit;
            }

            foreach (var dataset in body.AsArray())
            {
                var declared = dataset!["isDeclared"]!.GetValue<bool>() ? string.Empty : " (no agreement in force declares it)";
                var latest = dataset["latest"] is { } l ? $"newest version {l["version"]}, {l["rows"]} row(s), manifest {l["manifest"]}{Stale(l)}" : "no version imported";
                context.Out.WriteLine($"{dataset["dataset"]}: {dataset["versions"]} version(s); {latest}{declared}");
            }

            return exit;
        });
        return command;
    }

    private static Command Versions(TextWriter stdout, TextWriter stderr)
    {
        var dataset = new Argument<string>("dataset") { Description = "The dataset id" };
        var version = new Argument<int?>("version") { Description = "A version: print its manifest", Arity = ArgumentArity.ZeroOrOne };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var json = new Option<bool>("--json") { Description = "Write the answer as JSON" };
        var command = new Command("versions", "List a dataset's versions, oldest first; with VERSION, print that version's manifest") { dataset, version, workspace, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var id = Uri.EscapeDataString(parse.GetValue(dataset)!);
            var path = parse.GetValue(version) is { } number ? $"v1/datasets/{id}/versions/{number.ToString(CultureInfo.InvariantCulture)}" : $"v1/datasets/{id}/versions";
            var (exit, body) = await GetAsync(context, parse.GetValue(workspace)!, parse.GetValue(url), path, cancellationToken).ConfigureAwait(false);
            if (body is null || parse.GetValue(json) || body is JsonObject)
            {
                WriteJson(context, body);
                return exit;
            }

            foreach (var item in body.AsArray())
            {
                context.Out.WriteLine($"{item!["dataset"]} version {item["version"]}: {item["rows"]} row(s), imported {item["importedAt"]}, manifest {item["manifest"]}{Stale(item)}");
            }

            return exit;
        });
        return command;
    }

    private static Command Erase(TextWriter stdout, TextWriter stderr)
    {
        var dataset = new Argument<string>("dataset") { Description = "The dataset id" };
        var subject = new Option<string[]>("--subject") { Description = "A value of the dataset's entity key naming the subject, as stored (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var subjectFile = new Option<FileInfo?>("--subject-file") { Description = "A UTF-8 file of the subject's identifiers, one a line (keeps them out of the shell's history)" };
        var workspace = WorkspaceOptions.Workspace();
        var url = WorkspaceOptions.Url();
        var json = new Option<bool>("--json") { Description = "Write the answer as JSON" };
        var command = new Command("erase", "Erase a data subject from every stored version and derived copy of a dataset, with a signed, logged erasure record") { dataset, subject, subjectFile, workspace, url, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var (subjects, problem) = ReadSubjects(parse.GetValue(subject) ?? [], parse.GetValue(subjectFile));
            if (problem is not null)
            {
                return context.Fail(CliErrorCodes.ErasureInputInvalid, problem);
            }

            using var client = GatewayClient.TryCreate(parse.GetValue(workspace)!, parse.GetValue(url), out var error);
            if (client is null)
            {
                return context.Fail(CliErrorCodes.GatewayUnreachable, error!);
            }

            var id = Uri.EscapeDataString(parse.GetValue(dataset)!);
            var (status, body) = await client.SendJsonAsync(HttpMethod.Post, $"v1/datasets/{id}/erasures", new { subjects }, cancellationToken).ConfigureAwait(false);
            if (status != 200)
            {
                return GatewayClient.Fail(context, status, body);
            }

            if (parse.GetValue(json))
            {
                WriteJson(context, body);
                return ExitCodes.Ok;
            }

            // Security: the lines name versions, egress and pseudonyms; never the identifiers given.
            context.Out.WriteLine($"erased the subject from `{body?["dataset"]}`: {body?["rowsRemoved"]} row(s) in {body?["versions"]?.AsArray().Count} version(s); logged at index {body?["logIndex"]}");
            foreach (var version in body?["versions"]?.AsArray() ?? [])
            {
                context.Out.WriteLine($"  version {version!["version"]}: manifest {version["previousManifest"]} -> {version["manifest"]} ({version["rowsRemoved"]} row(s))");
            }

            foreach (var egress in body?["egress"]?.AsArray() ?? [])
            {
                context.Out.WriteLine($"  egress {egress!["decisionId"]} to {egress["recipient"]} (version {egress["datasetVersion"]}): delete by {egress["deleteBy"]}, attest by {egress["attestBy"]}");
            }

            foreach (var recipient in body?["recipients"]?.AsArray() ?? [])
            {
                context.Out.WriteLine($"  tell {recipient!["recipient"]}: its pseudonyms {string.Join(", ", recipient["pseudonyms"]!.AsArray().Select(p => p!.GetValue<string>()))}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // Either --subject or --subject-file, never both; the identifiers are never quoted back (they are personal data).
    private static (IReadOnlyList<string> Subjects, string? Problem) ReadSubjects(string[] given, FileInfo? file)
    {
        if ((given.Length > 0) == (file is not null))
        {
            return ([], "give the subject with --subject VALUE or --subject-file FILE, one of the two");
        }

        if (file is null)
        {
            return given.Any(string.IsNullOrWhiteSpace) ? ([], "`--subject` is empty") : (given, null);
        }

        if (CliPaths.FileProblem(file.FullName) is { } missing)
        {
            return ([], missing);
        }

        var lines = File.ReadAllLines(file.FullName).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.Count == 0 ? ([], $"`{file.Name}` names no identifier: write one a line") : (lines, null);
    }

    private static string Stale(JsonNode version) =>
        version["matchesAgreement"]?.GetValue<bool>() == false ? "; imported under another schema than the agreement in force: its rows are refused until a new version is imported" : string.Empty;

    private static void WriteJson(CliContext context, JsonNode? body)
    {
        if (body is not null)
        {
            context.Out.WriteLine(body.ToJsonString(s_indented));
        }
    }

    // Reads one operator route; a null body means the failure was reported and the exit code says which.
    private static async Task<(int Exit, JsonNode? Body)> GetAsync(CliContext context, string workspace, string? url, string path, CancellationToken cancellationToken)
    {
        using var client = GatewayClient.TryCreate(workspace, url, out var error);
        if (client is null)
        {
            return (context.Fail(CliErrorCodes.GatewayUnreachable, error!), null);
        }

        var (status, body) = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return status == 200 ? (ExitCodes.Ok, body) : (GatewayClient.Fail(context, status, body), null);
    }

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
}
