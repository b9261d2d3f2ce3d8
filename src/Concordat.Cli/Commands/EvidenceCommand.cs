using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Evidence;
using Concordat.Gateway.Hosting;
using Concordat.Notes;
using Concordat.Store;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat evidence build|verify</c>: an agreement's evidence pack from a workspace (docs/formats/evidence-pack.md),
/// and its offline verification, which needs nothing but the pack and the log key.
/// </summary>
internal static class EvidenceCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("evidence", "Evidence packs a regulator verifies offline: an agreement, its signatures and its access record proven against the signed log")
        {
            Build(stdout, stderr), Verify(stdout, stderr),
        };

    private static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var place = new LogStoreCommands.PlaceOptions();
        var agreement = new Option<string>("--agreement") { Description = "The agreement's id, as uploaded to the gateway", Required = true };
        var from = new Option<string?>("--from") { Description = "The period's first instant (RFC 3339), inclusive; default: the log's start" };
        var to = new Option<string?>("--to") { Description = "The period's end (RFC 3339), exclusive; default: the latest checkpoint" };
        var previous = new Option<string?>("--previous") { Description = "The previous pack of this log: the new pack proves the log consistent with its checkpoint" };
        var output = new Option<string>("--out") { Description = "The pack to write (a zip), replaced only once complete", Required = true };
        var witnesses = new Option<string[]>("--witness-key") { Description = "A witness's cosigner verifier key, inline or a file; `reports/compliance.json` counts the latest checkpoint's cosignatures by these keys; repeatable", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print a summary as one JSON object" };
        var command = new Command("build", "Build an agreement's evidence pack: versions and signatures, the access record with proofs against the latest signed checkpoint, a signed manifest")
        {
            place.Workspace, place.Store, agreement, from, to, previous, output, witnesses, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            DateTimeOffset? start = null;
            DateTimeOffset? end = null;
            foreach (var (option, assign) in new (Option<string?> Option, Action<DateTimeOffset> Assign)[] { (from, v => start = v), (to, v => end = v) })
            {
                if (parse.GetValue(option) is { } text)
                {
                    if (!Rfc3339.TryParseUtc(text, out var instant, out var error))
                    {
                        return context.Fail(CliErrorCodes.EvidencePeriodInvalid, $"`{option.Name}`: `{text}` is not an RFC 3339 instant: {error}");
                    }

                    assign(instant);
                }
            }

            if (start is { } s && end is { } e && e <= s)
            {
                return context.Fail(CliErrorCodes.EvidencePeriodInvalid, $"`--to` {Rfc3339.Format(e)} is not after `--from` {Rfc3339.Format(s)}");
            }

            if (parse.GetValue(previous) is { } previousPath && !File.Exists(previousPath))
            {
                return context.Fail(CliErrorCodes.FileUnreadable, $"previous pack `{previousPath}` does not exist");
            }

            if (!CliInput.TryReadWitnessKeys(context, parse.GetValue(witnesses), CliErrorCodes.EvidenceKeyUnreadable, out var cosigners, out var failed))
            {
                return failed;
            }

            var at = place.Read(parse);
            var id = new AgreementId(parse.GetValue(agreement)!);
            return await LogStoreCommands.RunOnStoreAsync(context, at, engine =>
                BuildAsync(context, engine, at, id, start, end, parse.GetValue(previous), Path.GetFullPath(parse.GetValue(output)!), cosigners, parse.GetValue(json), cancellationToken)).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> BuildAsync(
        CliContext context, IStoreEngine engine, LogStoreCommands.LogPlace place, AgreementId id, DateTimeOffset? from, DateTimeOffset? to, string? previous, string path, IReadOnlyList<NoteVerifier> cosigners, bool json, CancellationToken cancellationToken)
    {
        if (!KeyFiles.TryReadSignerKey(Path.Combine(place.Workspace, LogStoreCommands.KeyFileName), out var logKey, out var keyError))
        {
            return context.Fail(CliErrorCodes.EvidenceKeyUnreadable, keyError!, $"the workspace's log key is `{LogStoreCommands.KeyFileName}`: it signs the pack's manifest");
        }

        await engine.Registry.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var versions = (await engine.Registry.ListAgreementVersionsAsync(cancellationToken).ConfigureAwait(false))
            .Where(v => v.Id == id)
            .Select(v => new EvidenceAgreementVersion(v.Version, v.Document, SignatureFile.Write(v.Signatures.SelectMany(r => SignatureFile.Read(r.Signature, "signatures.json", out _)))))
            .ToList();
        if (versions.Count == 0)
        {
            return context.Fail(ExitCodes.Error, EvidenceErrorCodes.AgreementUnknown, $"the workspace `{place.Workspace}` holds no version of agreement `{id}`");
        }

        var trustedPath = Path.Combine(place.Workspace, GatewayWorkspace.TrustedKeysFileName);
        var trusted = File.Exists(trustedPath) ? await File.ReadAllTextAsync(trustedPath, cancellationToken).ConfigureAwait(false) : string.Empty;
        var (artifacts, artifactProblems) = ComplianceArtifactStore.Load(place.Workspace, ComplianceArtifactStore.PinnedKeys(place.Workspace, out var keyProblems), id);
        context.WriteDiagnostics([.. keyProblems, .. artifactProblems]);
        var request = new EvidencePackRequest(id, versions, trusted, from, to, TimeProvider.System.GetUtcNow()) { ComplianceArtifacts = artifacts, WitnessKeys = cosigners };
        var partial = path + ".partial";
        FileStream? previousPack = null;
        try
        {
            previousPack = previous is null ? null : File.OpenRead(previous);
            return await LogStoreCommands.WithStorageAsync(context, place, async storage =>
            {
                EvidencePackResult result;
                var file = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
                await using (file.ConfigureAwait(false))
                {
                    result = await CliTable.ProgressAsync(context, $"building the evidence pack of `{id}`", "log entries read", progress =>
                        EvidencePackBuilder.BuildAsync(storage, request with { Previous = previousPack }, logKey!, file, progress, cancellationToken)).ConfigureAwait(false);
                }

                if (!result.IsBuilt)
                {
                    return context.Fail(ExitCodes.Error, Code(result.Problem!), result.Problem!.Message);
                }

                File.Move(partial, path, overwrite: true);
                var summary = result.Summary!;
                context.Out.WriteLine(json
                    ? new JsonObject
                    {
                        ["pack"] = path,
                        ["agreement"] = summary.Agreement,
                        ["treeSize"] = summary.TreeSize,
                        ["entries"] = summary.Entries,
                        ["begin"] = summary.Begin,
                        ["end"] = summary.End,
                        ["files"] = summary.Files.Count,
                    }.ToJsonString()
                    : $"built `{path}`: {summary.Entries} entries of `{summary.Agreement}` (log indexes {summary.Begin} to {summary.End - 1}) proven against the checkpoint of size {summary.TreeSize}, {summary.Files.Count} files");
                return ExitCodes.Ok;
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return context.Fail(CliErrorCodes.OutputUnwritable, $"cannot write `{path}`: {ex.Message}");
        }
        finally
        {
            if (previousPack is not null)
            {
                await previousPack.DisposeAsync().ConfigureAwait(false);
            }

            File.Delete(partial);
        }
    }

    private static Command Verify(TextWriter stdout, TextWriter stderr)
    {
        var pack = new Argument<string>("pack") { Description = "The pack (zip) `evidence build` wrote" };
        var logKey = new Option<string?>("--log-key") { Description = "The log's verifier key as the operator publishes it (`name+hash+base64` or a .pub file); without it the pack's own key is used and reported" };
        var witnesses = new Option<string[]>("--witness-key") { Description = "A witness's cosignature/v1 verifier key the checkpoint must carry a cosignature of; repeat for each", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object" };
        var command = new Command("verify", "Verify an evidence pack offline: every file's digest against the signed manifest, the checkpoint, the signatures, the proofs; exit 4 naming what fails")
        {
            pack, logKey, witnesses, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            NoteVerifierKey? key = null;
            if (parse.GetValue(logKey) is { } keyText && !KeyFiles.TryReadVerifierKey(keyText, out key, out var keyError))
            {
                return context.Fail(CliErrorCodes.EvidenceKeyUnreadable, $"`--log-key`: {keyError}");
            }

            if (!CliInput.TryReadWitnessKeys(context, parse.GetValue(witnesses), CliErrorCodes.EvidenceKeyUnreadable, out var cosigners, out var failed))
            {
                return failed;
            }

            var path = parse.GetValue(pack)!;
            if (!File.Exists(path))
            {
                return context.Fail(CliErrorCodes.FileUnreadable, $"pack `{path}` does not exist");
            }

            EvidencePackVerification verification;
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await using (file.ConfigureAwait(false))
            {
                verification = await CliTable.ProgressAsync(context, $"verifying `{path}`", "log entries verified", progress => EvidencePackVerifier.VerifyAsync(file, key, cosigners, progress, cancellationToken)).ConfigureAwait(false);
            }

            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(
                    new
                    {
                        pack = path,
                        verified = verification.IsValid,
                        agreement = verification.Agreement,
                        treeSize = verification.TreeSize,
                        rootHash = verification.RootHash,
                        counts = verification.Counts,
                        keys = verification.Keys,
                        problems = verification.Problems.Select(p => new { code = p.Code, message = p.Message }),
                    },
                    s_json));
            }
            else
            {
                CliTable.Write(context, ["verified", "count"], verification.Counts.Select(c => (IReadOnlyList<string>)[c.Key, c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
                context.Out.WriteLine();
                CliTable.Write(context, ["key used"], verification.Keys.Select(k => (IReadOnlyList<string>)[k]));
            }

            if (verification.IsValid)
            {
                if (!parse.GetValue(json))
                {
                    context.Out.WriteLine($"pack verified: agreement `{verification.Agreement}`, log of size {verification.TreeSize}, root {verification.RootHash}");
                }

                return ExitCodes.Ok;
            }

            context.WriteDiagnostics(verification.Problems);
            return ExitCodes.VerificationFailed;
        });
        return command;
    }

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private static ErrorCode Code(Diagnostic problem) =>
        ErrorCode.ListTable(typeof(EvidenceErrorCodes)).First(c => c.Code == problem.Code);
}
