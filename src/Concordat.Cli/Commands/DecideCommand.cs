using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Decisions;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat decide --agreement FILE... (--trusted-keys FILE | --assume-in-force) (--request FILE|- | --recipient R --action A --dataset D --purpose P --jurisdiction J [--subprocessor S] [--role R] [--time T])</c>:
/// says why in words (a sentence, the reasons, the obligations), or prints the decision record as canonical JSON with
/// <c>--json</c>; exit 0 permit, 2 deny, 3 invalid input.
/// </summary>
internal static class DecideCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(stdout, stderr, Console.In, TimeProvider.System);

    internal static Command Create(TextWriter stdout, TextWriter stderr, TextReader stdin, TimeProvider time)
    {
        var agreements = new Option<string[]>("--agreement") { Description = "An agreement file (YAML), its signatures next to it (.sigs.json); repeat for several", Required = true, AllowMultipleArgumentsPerToken = true };
        var trusted = new Option<string?>("--trusted-keys") { Description = "Pinned keys (lines `signer-id verifier-key`): only agreements in force under them are enforced" };
        var assumeInForce = new Option<bool>("--assume-in-force") { Description = "Decide as if every agreement given were in force, without checking signatures (drafting and tests)" };
        var request = new Option<string?>("--request") { Description = "The request as a JSON file, or - for standard input" };
        var recipient = new Option<string?>("--recipient") { Description = "The recipient party id" };
        var action = new Option<string?>("--action") { Description = "read-rows, aggregate-query or download-snapshot" };
        var dataset = new Option<string?>("--dataset") { Description = "The dataset id" };
        var purpose = new Option<string?>("--purpose") { Description = "The purpose id" };
        var jurisdiction = new Option<string?>("--jurisdiction") { Description = "Where the data will be processed (ISO 3166-1 alpha-2, EU, EEA)" };
        var subprocessor = new Option<string?>("--subprocessor") { Description = "The subprocessor that will process the data, if any" };
        var role = new Option<string?>("--role") { Description = "The role of the service identity that asks, if any: ingestion, training, deployment or analysis" };
        var at = new Option<string?>("--time") { Description = "When the request is made (RFC 3339); default now" };
        var json = new Option<bool>("--json") { Description = "Print the decision record as one line of canonical JSON, for scripts" };
        var command = new Command("decide", "Decide a request against agreements and say why: the effect, the clauses and the obligations (exit 0 permit, 2 deny, 3 invalid input)")
        {
            agreements, trusted, assumeInForce, request, recipient, action, dataset, purpose, jurisdiction, subprocessor, role, at, json,
        };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var requestJson = parse.GetValue(request) is { } source
                ? ReadRequestText(context, source, stdin)
                : FlagsToJson(parse.GetValue(recipient), parse.GetValue(action), parse.GetValue(dataset), parse.GetValue(purpose), parse.GetValue(jurisdiction), parse.GetValue(subprocessor), parse.GetValue(role), parse.GetValue(at));
            if (requestJson is null)
            {
                return ExitCodes.Error;
            }

            return Decide(context, parse.GetValue(agreements)!, parse.GetValue(trusted), parse.GetValue(assumeInForce), requestJson, time, parse.GetValue(json));
        });
        return command;
    }

    private static int Decide(CliContext context, string[] files, string? trustedKeysPath, bool assumeInForce, string requestJson, TimeProvider time, bool json)
    {
        if (trustedKeysPath is null == !assumeInForce)
        {
            return context.Fail(CliErrorCodes.DecideModeMissing, "`decide` needs exactly one of --trusted-keys and --assume-in-force");
        }

        DecisionRequest decisionRequest;
        try
        {
            using var document = JsonDocument.Parse(requestJson);
            if (!DecisionJson.TryReadRequest(document.RootElement, time.GetUtcNow(), out decisionRequest, out var error))
            {
                context.WriteDiagnostics([error]);
                return ExitCodes.Invalid;
            }
        }
        catch (JsonException ex)
        {
            return context.Fail(ExitCodes.Invalid, DecisionErrorCodes.MalformedRequest, $"the request is not JSON: {ex.Message}");
        }

        var policies = LoadPolicies(context, files, trustedKeysPath, decisionRequest.Time, out var exitCode);
        if (policies is null)
        {
            return exitCode;
        }

        var decision = PolicyIndex.Compile(policies).Decide(decisionRequest);
        var record = DecisionRecordV1.Create(decisionRequest, decision);
        var canonical = Encoding.UTF8.GetString(record.ToCanonicalJson());
        if (json)
        {
            context.Out.WriteLine(canonical);
        }
        else
        {
            Explain(context, JsonNode.Parse(canonical)!);
        }

        return decision.IsPermit ? ExitCodes.Ok : ExitCodes.Denied;
    }

    /// <summary>Says what the decision record says, for people: a sentence, the reasons as a table, the obligations.</summary>
    private static void Explain(CliContext context, JsonNode record)
    {
        var request = record["request"]!;
        var permit = record["effect"]!.GetValue<string>() == "permit";
        var role = request["role"] is { } r ? $" (an identity of role {r})" : string.Empty;
        var subprocessor = request["subprocessor"] is { } sp ? $" through subprocessor `{sp}`" : string.Empty;
        context.Out.WriteLine($"{(permit ? "PERMIT" : "DENY")}: `{request["recipient"]}`{role} {(permit ? "may" : "may not")} {request["action"]} `{request["dataset"]}` for `{request["purpose"]}` in {request["jurisdiction"]}{subprocessor} at {record["time"]}");
        CliTable.Write(context, ["reason", "agreement", "clause", "why"], record["reasons"]!.AsArray().Select(reason => (IReadOnlyList<string>)
        [
            IdentityCommand.Text(reason, "code"),
            IdentityCommand.Text(reason, "agreement"),
            IdentityCommand.Text(reason, "clause"),
            IdentityCommand.Text(reason, "message"),
        ]));
        if (permit && record["obligations"] is JsonObject obligations)
        {
            var rules = obligations["fieldRules"]?.AsArray().Select(f => $"{f!["field"]} {f["rule"]}{(f["parameter"] is { } p ? $" ({p})" : string.Empty)}") ?? [];
            var parts = rules.ToList();
            if (obligations["requireConsent"]?.GetValue<bool>() == true)
            {
                parts.Add("rows only with consent for the purpose");
            }

            if (obligations["residency"] is JsonArray residency)
            {
                parts.Add($"rows only of residents of {string.Join(", ", residency)}");
            }

            if (obligations["tokenLifetime"] is { } lifetime)
            {
                parts.Add($"tokens live at most {lifetime}");
            }

            context.Out.WriteLine($"obligations: {(parts.Count == 0 ? "none" : string.Join("; ", parts))}");
        }

        var agreements = record["agreements"]!.AsArray().Select(a => $"`{a!["id"]}` v{a["version"]} ({a["digest"]})");
        context.Out.WriteLine($"decision {record["id"]}, decided by {string.Join(", ", agreements.DefaultIfEmpty("no agreement"))}; --json prints the record");
    }

    // Security: with pinned keys, an agreement is enforced only when its status at the request's time is in force;
    // one that is not still takes part, so the decision says so instead of "unknown".
    private static List<PolicyAgreement>? LoadPolicies(CliContext context, string[] files, string? trustedKeysPath, DateTimeOffset at, out int exitCode)
    {
        TrustedKeys? keys = null;
        exitCode = ExitCodes.Ok;
        if (trustedKeysPath is not null && (keys = AgreementFiles.LoadTrustedKeys(context, trustedKeysPath, out exitCode)) is null)
        {
            return null;
        }

        var signed = new List<SignedAgreement>();
        foreach (var path in files)
        {
            var agreement = AgreementFiles.Load(context, path, out exitCode);
            var signatures = agreement is null || keys is null ? [] : AgreementFiles.LoadSignatures(context, path, null, out exitCode);
            TerminationRecord? termination = null;
            if (agreement is null || signatures is null || (keys is not null && !AgreementFiles.TryLoadTermination(context, path, out termination, out exitCode)))
            {
                return null;
            }

            signed.Add(new SignedAgreement(agreement, signatures, termination));
        }

        return [.. signed.Select(s => keys is null
            ? new PolicyAgreement(s.Agreement, AgreementDigest.Compute(s.Agreement))
            : AgreementStatusEvaluator.Evaluate(s, signed, keys, at) is var status
                ? new PolicyAgreement(s.Agreement, status.Digest, status.IsInForce)
                : null!)];
    }

    private static string? ReadRequestText(CliContext context, string source, TextReader stdin)
    {
        if (source == "-")
        {
            return stdin.ReadToEnd();
        }

        if (CliPaths.FileProblem(source, "request file") is { } problem)
        {
            context.Fail(CliErrorCodes.RequestFileMissing, problem);
            return null;
        }

        return File.ReadAllText(source);
    }

    private static string FlagsToJson(string? recipient, string? action, string? dataset, string? purpose, string? jurisdiction, string? subprocessor, string? role, string? time)
    {
        var members = new Dictionary<string, string?>
        {
            ["recipient"] = recipient,
            ["action"] = action,
            ["dataset"] = dataset,
            ["purpose"] = purpose,
            ["jurisdiction"] = jurisdiction,
            ["subprocessor"] = subprocessor,
            ["role"] = role,
            ["time"] = time,
        };
        return JsonSerializer.Serialize(members.Where(m => m.Value is not null).ToDictionary(m => m.Key, m => m.Value));
    }
}
