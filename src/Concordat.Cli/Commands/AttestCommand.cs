using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Attestations;

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
        var command = new Command("sign", "Attest a file or folder: print a DSSE envelope of an in-toto statement naming every file's SHA-256") { key, output, json, path };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!KeyFiles.TryLoadSignerKey(context, parse.GetValue(key)!, out var signerKey, out var keyExit))
            {
                return keyExit;
            }

            if (!TryReadSubjects(context, parse.GetValue(path)!, out var subjects, out var exit))
            {
                return exit;
            }

            var isFolder = Directory.Exists(parse.GetValue(path));
            var statement = new InTotoStatement(subjects, AttestationPredicateTypes.Artifact, new JsonObject { ["kind"] = isFolder ? "folder" : "file" });
            var envelope = Attestation.Sign(statement, signerKey).ToJson();
            var outPath = parse.GetValue(output);
            if (!AttestationFiles.TryWriteEnvelope(context, envelope, outPath, out var writeExit))
            {
                return writeExit;
            }

            var keyId = Attestation.KeyIdOf(signerKey.VerifierKey);
            context.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { envelope = outPath, keyid = keyId, predicateType = statement.PredicateType, subjects = Summary(subjects) }, s_json)
                : $"attested {subjects.Count} file(s) with key `{keyId}`: {outPath}");
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

    private static object[] Summary(IReadOnlyList<AttestationSubject> subjects) =>
        [.. subjects.Select(s => new { name = s.Name, sha256 = s.Sha256!.Value.Hex })];
}
