using System.CommandLine;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Decisions;
using Concordat.Log;
using Concordat.Retention;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat retention status</c>: for each egress, when the recipient must delete the data and attest it, and
/// whether it did (docs/design/retention.md), from an exported log (<c>--bundle --agreement</c>) or a running gateway
/// (<c>--gateway --token</c>); exits non-zero when an attestation is overdue. <c>concordat retention attest</c>: the
/// recipient signs a deletion attestation for its egress and files it with the gateway.
/// </summary>
internal static class RetentionCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    public static Command Create(TextWriter stdout, TextWriter stderr) => new("retention", "Retention deadlines of what recipients received, and recipients' deletion attestations") { Status(stdout, stderr), Attest(stdout, stderr) };

    private static Option<string?> Gateway() => new("--gateway") { Description = "The gateway's address (http or https)" };

    private static Option<string?> Token() => new("--token") { Description = "The recipient's bearer token (`concordat token`), or for `status` the operator's admin key" };

    private static Command Status(TextWriter stdout, TextWriter stderr)
    {
        var bundle = new Option<string?>("--bundle") { Description = "An exported log (`concordat log export`); verify it first with `log verify --bundle`" };
        var agreements = new Option<string[]>("--agreement") { Description = "With --bundle: an agreement version (YAML) the log's decisions name; repeat for each", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
        var gateway = Gateway();
        var token = Token();
        var at = new Option<string?>("--at") { Description = "Judge at this instant (RFC 3339, UTC); default: now" };
        var json = new Option<bool>("--json") { Description = "Write one JSON document" };
        var command = new Command("status", "Each egress's deletion and attestation deadlines and state (due, done, overdue), from an export or a gateway; exits non-zero when one is overdue") { bundle, agreements, gateway, token, at, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!CliInput.TryReadInstantOrNow(context, parse, at, out var instant, out var atExit))
            {
                return atExit;
            }

            var (file, url, bearer) = (parse.GetValue(bundle), parse.GetValue(gateway), parse.GetValue(token));
            var files = parse.GetValue(agreements) ?? [];
            if (file is not null == (url is not null) || (file is not null && (files.Length == 0 || bearer is not null)) || (url is not null && (bearer is null || files.Length > 0)))
            {
                return context.Fail(CliErrorCodes.RetentionSourceMissing, "give `--bundle` with `--agreement`, or `--gateway` with `--token`");
            }

            IReadOnlyList<RetentionItem> items;
            var unknown = 0;
            if (url is not null)
            {
                using var client = GatewayClient.TryCreateForBearer(url, bearer!, out var clientError);
                if (client is null)
                {
                    return context.Fail(CliErrorCodes.GatewayUnreachable, clientError!);
                }

                var query = parse.GetValue(at) is { } atText ? "?at=" + Uri.EscapeDataString(atText) : string.Empty;
                var (status, body) = await client.SendAsync(HttpMethod.Get, "v1/retention" + query, null, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return GatewayClient.Fail(context, status, body);
                }

                items = body!["items"].Deserialize<List<RetentionItem>>(s_json) ?? [];
                unknown = body["unknownAgreements"]?.GetValue<int>() ?? 0;
                instant = body["at"]!.GetValue<DateTimeOffset>();
            }
            else
            {
                var read = await ReadExportAsync(context, file!, files, instant, cancellationToken).ConfigureAwait(false);
                if (read.Exit is { } failed)
                {
                    return failed;
                }

                (items, unknown) = (read.Items, read.Unknown);
            }

            Write(context, items, unknown, instant, parse.GetValue(json));
            var overdue = items.Count(i => i.State == RetentionState.Overdue);
            return overdue == 0 ? ExitCodes.Ok : context.Fail(CliErrorCodes.RetentionOverdue, $"{overdue} deletion attestation(s) overdue");
        });
        return command;
    }

    private static async Task<(IReadOnlyList<RetentionItem> Items, int Unknown, int? Exit)> ReadExportAsync(CliContext context, string file, string[] paths, DateTimeOffset instant, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, Agreement>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (AgreementFiles.Load(context, path, out var code) is not { } agreement)
            {
                return ([], 0, code);
            }

            versions[AgreementDigest.Compute(agreement).ToString()] = agreement;
        }

        var ledger = new RetentionLedger();
        if (!File.Exists(file))
        {
            return ([], 0, context.Fail(CliErrorCodes.RetentionInputUnreadable, $"no file `{file}`"));
        }

        try
        {
            await CliTable.ProgressAsync(context, "reading the export", async () =>
            {
                await using var stream = File.OpenRead(file);
                await foreach (var (_, entry) in LogExportEntries.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
                {
                    ledger.Read(entry);
                }

                return 0;
            }).ConfigureAwait(false);
        }
        catch (InvalidDataException problem)
        {
            return ([], 0, context.Fail(CliErrorCodes.RetentionInputUnreadable, $"`{file}`: {problem.Message}"));
        }

        return (ledger.Status(versions, instant, out var unknown), unknown, null);
    }

    private static void Write(CliContext context, IReadOnlyList<RetentionItem> items, int unknown, DateTimeOffset instant, bool json)
    {
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new { at = instant, items, unknownAgreements = unknown }, s_json));
            return;
        }

        CliTable.Write(context, ["decision", "recipient", "dataset", "agreement", "egress", "delete by", "attest by", "state"], items.Select(i => (IReadOnlyList<string>)
        [
            i.DecisionId, i.Recipient, i.Dataset, i.Agreement, Rfc3339.Format(i.EgressAt), Rfc3339.Format(i.DeleteBy), Rfc3339.Format(i.AttestBy),
            i.State == RetentionState.Overdue ? CliTable.Overdue : i.State == RetentionState.Done ? $"done {Rfc3339.Format(i.AttestedAt!.Value)}" : "due",
        ]));
        if (unknown > 0)
        {
            context.Error.WriteLine($"warning: {unknown} egress named an agreement version not given with --agreement: not judged");
        }
    }

    private static Command Attest(TextWriter stdout, TextWriter stderr)
    {
        var egress = new Option<string[]>("--egress") { Description = "The decision id of an egress you deleted; repeat for each", Required = true, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = true };
        var key = new Option<string>("--key") { Description = "The recipient's signing key file (`concordat key new`), whose verifier key the operator pinned for the recipient", Required = true };
        var gateway = Gateway();
        gateway.Required = true;
        var token = Token();
        token.Required = true;
        var deletedAt = new Option<string?>("--deleted-at") { Description = "When the deletion was complete (RFC 3339, UTC); default: now" };
        var output = new Option<string?>("--out") { Description = "Also keep the signed envelope in this file" };
        var json = new Option<bool>("--json") { Description = "Write the gateway's answer as JSON" };
        var command = new Command("attest", "Sign a deletion attestation (DSSE, in-toto deletion/v1) for egress you received and file it with the gateway") { egress, key, gateway, token, deletedAt, output, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!CliInput.TryReadInstantOrNow(context, parse, deletedAt, out var deleted, out var deletedExit))
            {
                return deletedExit;
            }

            if (!KeyFiles.TryLoadSignerKey(context, parse.GetValue(key)!, out var signer, out var keyExit))
            {
                return keyExit;
            }

            using var client = GatewayClient.TryCreateForBearer(parse.GetValue(gateway)!, parse.GetValue(token)!, out var clientError);
            if (client is null)
            {
                return context.Fail(CliErrorCodes.GatewayUnreachable, clientError!);
            }

            // The digests come from the gateway's own record of what it sent this recipient, so the attestation names
            // exactly the bytes received; the gateway checks them again.
            var (status, body) = await client.SendAsync(HttpMethod.Get, "v1/retention", null, cancellationToken).ConfigureAwait(false);
            if (status != 200)
            {
                return GatewayClient.Fail(context, status, body);
            }

            var mine = (body!["items"].Deserialize<List<RetentionItem>>(s_json) ?? []).ToDictionary(i => i.DecisionId, StringComparer.Ordinal);
            var deletedEgress = new List<DeletedEgress>();
            string? recipient = null;
            foreach (var id in parse.GetValue(egress)!.Distinct(StringComparer.Ordinal))
            {
                if (!mine.TryGetValue(id, out var item) || !Sha256Digest.TryParse(item.Sha256, out var digest))
                {
                    return context.Fail(CliErrorCodes.RetentionEgressNotYours, $"egress `{id}` is not among the {mine.Count} egress the gateway lists for this token's recipient");
                }

                recipient = item.Recipient;
                deletedEgress.Add(new DeletedEgress(new DecisionId(id), digest));
            }

            var envelope = Attestation.Sign(DeletionAttestation.Statement(new DeletionClaim(new PartyId(recipient!), deleted, deletedEgress)), signer).ToJson();
            if (parse.GetValue(output) is { } outPath && !AttestationFiles.TryWriteEnvelope(context, envelope, outPath, out var writeExit))
            {
                return writeExit;
            }

            var (posted, answer) = await client.SendAsync(HttpMethod.Post, "v1/retention/attestations", new ByteArrayContent(envelope) { Headers = { ContentType = new("application/json") } }, cancellationToken).ConfigureAwait(false);
            if (posted != 201)
            {
                return GatewayClient.Fail(context, posted, answer);
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(answer!.ToJsonString(s_json));
            }
            else
            {
                context.Out.WriteLine($"attested deletion of {deletedEgress.Count} egress for `{recipient}`, signed by `{answer!["keyId"]}`; envelope {answer["envelope"]}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
