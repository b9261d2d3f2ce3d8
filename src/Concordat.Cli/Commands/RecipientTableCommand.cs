using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat recipient-table upload</c>: a recipient uploads its own table (CSV or NDJSON) to the gateway, to join
/// its aggregate queries with (<c>PUT /v1/datasets/{datasetId}/recipient-tables/{tableId}</c>); the gateway
/// pseudonymises the key column at once and never stores it raw.
/// </summary>
internal static class RecipientTableCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr) => new("recipient-table", "A recipient's own tables on a gateway, to join aggregate queries with") { Upload(stdout, stderr) };

    private static Command Upload(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<FileInfo>("file") { Description = "The table: a .csv file with a header, or an .ndjson file (one object per line)" };
        var dataset = new Option<string>("--dataset") { Description = "The dataset the table is joined with (the token's dataset)", Required = true };
        var table = new Option<string>("--table") { Description = "The table's id: lowercase letters, digits, `.`, `_`, `-`", Required = true };
        var key = new Option<string>("--key") { Description = "The field to join on; pseudonymised at the gateway, never stored raw", Required = true };
        var fields = new Option<string>("--fields") { Description = "The table's fields with their types, `name:type,...` (string, integer, decimal, boolean, date, date-time, postcode); the key a string or integer", Required = true };
        var dimensions = new Option<string>("--dimensions") { Description = "Columns to keep, per key, so queries can group by them after a join, `name,...`; each needs one value per key" };
        var gateway = new Option<string>("--gateway") { Description = "The gateway's address (http or https)", Required = true };
        var token = new Option<string>("--token") { Description = "The recipient's bearer token for the dataset, with the action `aggregate-query`", Required = true };
        var json = new Option<bool>("--json") { Description = "Write the gateway's answer as JSON" };
        var command = new Command("upload", "Upload your own table to the gateway to join aggregate queries with; its key is pseudonymised there and never stored raw") { file, dataset, table, key, fields, dimensions, gateway, token, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(file)!;
            if (CliPaths.FileProblem(path.FullName) is { } problem)
            {
                return context.Fail(CliErrorCodes.FileUnreadable, problem);
            }

            using var client = GatewayClient.TryCreateForBearer(parse.GetValue(gateway)!, parse.GetValue(token)!, out var clientError);
            if (client is null)
            {
                return context.Fail(CliErrorCodes.GatewayUnreachable, clientError!);
            }

            var stream = path.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                var content = new StreamContent(stream);
                content.Headers.ContentType = new MediaTypeHeaderValue(path.Extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? "text/csv" : "application/x-ndjson");
                var route = $"v1/datasets/{Uri.EscapeDataString(parse.GetValue(dataset)!)}/recipient-tables/{Uri.EscapeDataString(parse.GetValue(table)!)}"
                    + $"?key={Uri.EscapeDataString(parse.GetValue(key)!)}&fields={Uri.EscapeDataString(parse.GetValue(fields)!)}"
                    + (parse.GetValue(dimensions) is { Length: > 0 } kept ? $"&dimensions={Uri.EscapeDataString(kept)}" : string.Empty);
                var (status, body) = await client.SendAsync(HttpMethod.Put, route, content, cancellationToken).ConfigureAwait(false);
                if (status != 201)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                context.Out.WriteLine(parse.GetValue(json)
                    ? body!.ToJsonString(s_json)
                    : $"uploaded table `{body?["table"]}` for dataset `{body?["dataset"]}`: {body?["rows"]} row(s), {body?["keys"]} distinct key(s) of `{body?["key"]}`, stored as pseudonyms only (keys {body?["keysSha256"]})");
                return ExitCodes.Ok;
            }
        });
        return command;
    }
}
