using System.CommandLine;
using System.Net.Http.Headers;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat dataset import DATASET FILE</c>: imports a CSV or NDJSON file as a new immutable version, through
/// the running gateway.
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
        return new Command("dataset", "Manage datasets on a running gateway") { import };
    }
}
