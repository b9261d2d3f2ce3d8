using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Licences;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat attest sign|verify</c>: a generic attestation (predicate <c>artifact/v1</c>) of any file or folder,
/// a DSSE envelope carrying an in-toto Statement v1, signed with Ed25519; offline.
/// </summary>
internal static class AttestCommand
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };

    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("attest", "Sign and verify DSSE/in-toto attestations of files and folders")
        {
            CreateSign(stdout, stderr),
            CreateVerify(stdout, stderr),
        };

    private static Command CreateSign(TextWriter stdout, TextWriter stderr)
    {
        var key = new Option<string>("--key") { Description = "The signer key file (PRIVATE+KEY+name+hash+base64), as `key new` writes it", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the envelope to this file instead of standard output" };
        var json = new Option<bool>("--json") { Description = "With --out: print a summary (key id, subjects) as one JSON object" };
        var path = new Argument<string>("PATH") { Description = "A file (one subject) or a folder (one subject per file, by relative path)" };
        var ip = new Option<string?>("--ip") { Description = "Classify the artifact's IP and record it: background (the party's own), foreground (created under the agreements; owned as their IP terms say) or third-party" };
        ip.AcceptOnlyFromAmong([.. Enum.GetValues<IpCategory>().Select(IpClassifier.NameOf)]);
        var artifact = new Option<string?>("--artifact") { Description = "With --ip: what the artifact is: dataset, model, tool or finding" };
        artifact.AcceptOnlyFromAmong([.. Enum.GetValues<ArtifactKind>().Select(NameOf)]);
        var party = new Option<string?>("--party") { Description = "With --ip background or foreground: the party that brought or created the artifact" };
        var ipOwner = new Option<string?>("--ip-owner") { Description = "With --ip third-party: who owns the artifact outside the agreements" };
        var licence = new Option<string?>("--licence") { Description = "With --ip third-party: the artifact's SPDX licence expression, checked against each agreement's thirdPartyLicences" };
        var agreements = new Option<string[]>("--agreement") { Description = "With --ip: an agreement whose IP terms apply (YAML); repeatable", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("sign", "Attest a file or folder: print a DSSE envelope of an in-toto statement naming every file's SHA-256; with --ip, also the artifact's IP and owners under the agreements' IP terms")
        {
            key, output, json, ip, artifact, party, ipOwner, licence, agreements, path,
        };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!KeyFiles.TryLoadSignerKey(context, parse.GetValue(key)!, out var signerKey, out var keyExit))
            {
                return keyExit;
            }

            var options = new IpOptions(parse.GetValue(ip), parse.GetValue(artifact), parse.GetValue(party), parse.GetValue(ipOwner), parse.GetValue(licence), parse.GetValue(agreements) ?? []);
            if (!TryClassify(context, options, parse.GetValue(path)!, out var classified, out var ipExit))
            {
                return ipExit;
            }

            if (!TryReadSubjects(context, parse.GetValue(path)!, out var subjects, out var exit))
            {
                return exit;
            }

            var isFolder = Directory.Exists(parse.GetValue(path));
            var predicate = new JsonObject { ["kind"] = isFolder ? "folder" : "file" };
            if (classified is not null)
            {
                // Written only with --ip, so plain attestations keep their bytes.
                predicate["artifact"] = options.Artifact;
                predicate["ip"] = ArtifactIp.ToJson(classified);
            }

            var statement = new InTotoStatement(subjects, AttestationPredicateTypes.Artifact, predicate);
            var envelope = Attestation.Sign(statement, signerKey).ToJson();
            var outPath = parse.GetValue(output);
            if (!AttestationFiles.TryWriteEnvelope(context, envelope, outPath, out var writeExit))
            {
                context.WriteDiagnostics(writeExit == ExitCodes.Ok && classified is not null ? classified.Findings : []);
                return writeExit;
            }

            var keyId = Attestation.KeyIdOf(signerKey.VerifierKey);
            var owners = classified is null ? null : classified.ExternalOwner ?? string.Join(", ", classified.Owners);
            context.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { envelope = outPath, keyid = keyId, predicateType = statement.PredicateType, subjects = Summary(subjects), ip = predicate["ip"] }, s_json)
                : $"attested {subjects.Count} file(s) with key `{keyId}`: {outPath}{(owners is null ? string.Empty : $"; ip: {options.Category}, owned by {owners}")}");
            context.WriteDiagnostics(classified?.Findings ?? []);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateVerify(TextWriter stdout, TextWriter stderr)
    {
        var key = new Option<string[]>("--key") { Description = "A verifier key (name+hash+base64), inline or as a file; repeat for several keys", Required = true, AllowMultipleArgumentsPerToken = false };
        var attestation = new Option<string>("--attestation") { Description = "The envelope `attest sign` wrote", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the outcome as one JSON object" };
        var path = new Argument<string>("PATH") { Description = "The file or folder the attestation is about" };
        var command = new Command("verify", "Verify an attestation of a file or folder: signature, key, and every file's SHA-256 (exit 4 when any fails)") { key, attestation, json, path };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!KeyFiles.TryLoadDsseKeys(context, parse.GetValue(key)!, out var trusted, out var keyExit))
            {
                return keyExit;
            }

            if (!CliInput.TryReadAll(context, parse.GetValue(attestation), out var envelope))
            {
                return ExitCodes.Error;
            }

            if (!TryReadSubjects(context, parse.GetValue(path)!, out var subjects, out var exit))
            {
                return exit;
            }

            var result = Attestation.Verify(envelope, trusted, AttestationPredicateTypes.Artifact);
            var error = result.IsVerified ? Attestation.CheckSubjects(result.Statement, subjects) : result.Error;
            if (error is not null)
            {
                var code = error.Code == AttestationErrorCodes.EnvelopeMalformed.Code ? ExitCodes.Invalid : ExitCodes.VerificationFailed;
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(JsonSerializer.Serialize(new { verified = false, error = new { code = error.Code, message = error.Message } }, s_json));
                    return code;
                }

                context.WriteDiagnostics([error]);
                return code;
            }

            context.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { verified = true, keyid = result.KeyId, predicateType = result.Statement!.PredicateType, subjects = Summary(subjects) }, s_json)
                : $"verified: {subjects.Count} file(s) match the attestation signed by `{result.KeyId}`");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool TryReadSubjects(CliContext context, string path, out IReadOnlyList<AttestationSubject> subjects, out int exit)
    {
        subjects = [];
        exit = ExitCodes.Ok;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            exit = context.Fail(CliErrorCodes.FileUnreadable, $"`{path}` is neither a file nor a folder");
            return false;
        }

        try
        {
            subjects = AttestationFiles.Subjects(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            exit = context.Fail(CliErrorCodes.InputUnreadable, $"`{path}` cannot be read: {ex.Message}");
            return false;
        }

        if (subjects.Count == 0)
        {
            exit = context.Fail(CliErrorCodes.NothingToAttest, $"folder `{path}` holds no file");
            return false;
        }

        return true;
    }

    private static string NameOf(ArtifactKind kind) => kind.ToString().ToLowerInvariant();

    // Classifies the artifact under the agreements given when --ip asks for it: the options each category needs, then
    // the agreements' IP terms; an owner no term determines, or a third-party licence an agreement does not allow,
    // refuses the attestation (exit 2) as `model register` refuses a model.
    private static bool TryClassify(CliContext context, IpOptions options, string path, out ModelIp? classified, out int exit)
    {
        classified = null;
        exit = ExitCodes.Ok;
        if (options.Category is null)
        {
            if (options.Artifact is not null || options.Party is not null || options.ExternalOwner is not null || options.Licence is not null || options.Agreements.Count > 0)
            {
                exit = context.Fail(CliErrorCodes.ArtifactIpOptionsInvalid, "`--artifact`, `--party`, `--ip-owner`, `--licence` and `--agreement` classify the artifact's IP: give `--ip` with them");
                return false;
            }

            return true;
        }

        var category = Enum.GetValues<IpCategory>().First(c => IpClassifier.NameOf(c) == options.Category);
        var thirdParty = category == IpCategory.ThirdParty;
        var misuse = options.Artifact is null ? "`--ip` needs `--artifact`: dataset, model, tool or finding"
            : thirdParty && options.ExternalOwner is null ? "`--ip third-party` needs `--ip-owner`: who owns the artifact outside the agreements"
            : thirdParty && options.Party is not null ? "`--party` is for background and foreground IP: third-party IP has `--ip-owner`"
            : !thirdParty && options.Party is null ? $"`--ip {options.Category}` needs `--party`: the party that brought or created the artifact"
            : !thirdParty && (options.ExternalOwner ?? options.Licence) is not null ? "`--ip-owner` and `--licence` are for `--ip third-party` only"
            : null;
        if (misuse is not null)
        {
            exit = context.Fail(CliErrorCodes.ArtifactIpOptionsInvalid, misuse);
            return false;
        }

        var loaded = new List<Agreement>();
        foreach (var file in options.Agreements)
        {
            if (AgreementFiles.Load(context, file, out var agreementExit) is not { } agreement)
            {
                exit = agreementExit;
                return false;
            }

            loaded.Add(agreement);
        }

        var kind = Enum.GetValues<ArtifactKind>().First(k => NameOf(k) == options.Artifact);
        var ip = ArtifactIp.Classify(loaded, Path.GetFileName(Path.TrimEndingDirectorySeparator(path)), kind, category, options.Party, options.ExternalOwner, options.Licence);
        if (ip.Findings.Any(f => f.IsError))
        {
            context.WriteDiagnostics(ip.Findings);
            exit = ExitCodes.Denied;
            return false;
        }

        classified = ip;
        return true;
    }

    private sealed record IpOptions(string? Category, string? Artifact, string? Party, string? ExternalOwner, string? Licence, IReadOnlyList<string> Agreements);

    private static object[] Summary(IReadOnlyList<AttestationSubject> subjects) =>
        [.. subjects.Select(s => new { name = s.Name, sha256 = s.Sha256!.Value.Hex })];
}
