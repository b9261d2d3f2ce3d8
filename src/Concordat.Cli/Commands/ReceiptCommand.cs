using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat receipt check FILE --receipt RECEIPT</c>: checks a received file against the receipt the gateway
/// keeps for it (<c>GET /v1/receipts/{decisionId}</c>): the SHA-256 of exactly the bytes received, the row count and
/// the byte count. Offline: it needs only the two files.
/// </summary>
internal static class ReceiptCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "The body as received: CSV (header, then one record per row) or NDJSON (one object per line)" };
        var receipt = new Option<string>("--receipt") { Description = "The receipt as `GET /v1/receipts/{decisionId}` answered it (JSON)", Required = true };
        var check = new Command("check", "Check a received file against its receipt: SHA-256, rows and bytes (exit 4 when any differs)") { file, receipt };
        check.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var receiptPath = parse.GetValue(receipt)!;
            if (!CliInput.TryReadAll(context, receiptPath, out var receiptBytes) || !CliInput.TryReadAll(context, parse.GetValue(file)!, out var body))
            {
                return ExitCodes.Error;
            }

            JsonNode? expected;
            try
            {
                expected = JsonNode.Parse(receiptBytes);
            }
            catch (JsonException ex)
            {
                return context.Fail(CliErrorCodes.ReceiptInvalid, $"`{receiptPath}` is not JSON: {ex.Message}");
            }

            if (expected?["sha256"]?.GetValue<string>() is not { } sha256 || expected["rows"] is not JsonValue rowsValue || expected["bytes"] is not JsonValue bytesValue
                || !rowsValue.TryGetValue<long>(out var rows) || !bytesValue.TryGetValue<long>(out var bytes))
            {
                return context.Fail(CliErrorCodes.ReceiptInvalid, $"`{receiptPath}` has no `sha256`, `rows` and `bytes`");
            }

            var format = expected["format"]?.GetValue<string>() ?? "csv";
            var actualSha = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
            var actualRows = format == "ndjson" ? CountLines(body) : Math.Max(0, CountCsvRecords(body) - 1);
            var problems = new List<string>();
            if (!string.Equals(actualSha, sha256, StringComparison.Ordinal))
            {
                problems.Add($"SHA-256 is `{actualSha}`, the receipt says `{sha256}`");
            }

            if (actualRows != rows)
            {
                problems.Add($"{actualRows} row(s), the receipt says {rows}");
            }

            if (body.LongLength != bytes)
            {
                problems.Add($"{body.LongLength} byte(s), the receipt says {bytes}");
            }

            if (problems.Count > 0)
            {
                return context.Fail(CliErrorCodes.ReceiptMismatch, $"`{parse.GetValue(file)}` does not match its receipt: {string.Join("; ", problems)}");
            }

            var incomplete = expected["isComplete"]?.GetValue<bool>() == false ? " (the receipt says the stream was stopped before its end)" : string.Empty;
            context.Out.WriteLine($"`{parse.GetValue(file)}` matches its receipt: {rows} row(s), {bytes} byte(s), {sha256}{incomplete}");
            return ExitCodes.Ok;
        });
        return new Command("receipt", "Check received files against their receipts") { check };
    }

    /// <summary>Counts RFC 4180 records: a line break outside quotes ends one; a last record without a line break counts.</summary>
    private static long CountCsvRecords(ReadOnlySpan<byte> body)
    {
        long records = 0;
        var quoted = false;
        var open = false;
        foreach (var b in body)
        {
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }

            if (b == (byte)'\n' && !quoted)
            {
                records++;
                open = false;
            }
            else if (b != (byte)'\r')
            {
                open = true;
            }
        }

        return open ? records + 1 : records;
    }

    private static long CountLines(ReadOnlySpan<byte> body)
    {
        long lines = body.Count((byte)'\n');
        return body.Length > 0 && body[^1] != (byte)'\n' ? lines + 1 : lines;
    }
}
