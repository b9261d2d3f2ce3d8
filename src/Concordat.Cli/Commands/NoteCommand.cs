using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Concordat.Log;
using Concordat.Notes;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat note sign|verify</c>: C2SP signed notes (checkpoints are signed notes).
/// </summary>
internal static class NoteCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) =>
        new("note", "Sign and verify C2SP signed notes, such as log checkpoints")
        {
            CreateSign(stdout, stderr),
            CreateVerify(stdout, stderr),
            CreateCosign(stdout, stderr),
        };

    private static Command CreateSign(TextWriter stdout, TextWriter stderr)
    {
        var key = new Option<string>("--key") { Description = "The signer key file (PRIVATE+KEY+name+hash+base64), as `key new` writes it", Required = true };
        var file = new Argument<string?>("FILE") { Description = "The note text to sign; standard input when omitted or `-`", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("sign", "Sign a note text and print the signed note") { key, file };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!KeyFiles.TryLoadSignerKey(context, parse.GetValue(key)!, out var signerKey, out var keyExit))
            {
                return keyExit;
            }

            var path = parse.GetValue(file);
            if (!CliInput.TryReadAll(context, path, out var input))
            {
                return ExitCodes.Error;
            }

            string? textError = null;
            if (!TryDecodeText(input, out var text) || !SignedNote.IsValidText(text, out textError))
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.NoteTextInvalid, $"`{CliInput.DisplayName(path)}` cannot be signed: {textError ?? "the text is not valid UTF-8"}");
            }

            context.Out.Write(SignedNote.Sign(text, NoteSigner.ForEd25519(signerKey)).ToString());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateVerify(TextWriter stdout, TextWriter stderr)
    {
        var key = new Option<string[]>("--key")
        {
            Description = "A verifier key (name+hash+base64), inline or as a file; repeat for several keys. Cosigner keys (type 0x04) verify cosignatures",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var file = new Argument<string?>("FILE") { Description = "The signed note; standard input when omitted or `-`", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("verify", "Verify a signed note and print its text") { key, file };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var verifiers = new List<NoteVerifier>();
            foreach (var keyText in parse.GetValue(key)!)
            {
                if (KeyFiles.MissingFile(keyText) is { } missing)
                {
                    return context.Fail(CliErrorCodes.FileUnreadable, missing);
                }

                if (!TryReadVerifier(keyText, out var verifier, out var keyError))
                {
                    return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, keyError, "give a verifier key `name+hash+base64` or a .pub file that `concordat key new` wrote");
                }

                if (verifiers.Any(v => v.Name == verifier.Name && v.KeyId == verifier.KeyId))
                {
                    return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, $"verifier key `{verifier}` is given twice");
                }

                verifiers.Add(verifier);
            }

            var path = parse.GetValue(file);
            if (!CliInput.TryReadAll(context, path, out var input))
            {
                return ExitCodes.Error;
            }

            var result = SignedNote.Open(input, verifiers);
            return result.Failure switch
            {
                NoteFailure.None => Print(context, result.Note!.Text),
                NoteFailure.Malformed => context.Fail(ExitCodes.Invalid, LogErrorCodes.NoteMalformed, $"`{CliInput.DisplayName(path)}` is not a signed note: {result.Reason}"),
                _ => context.Fail(ExitCodes.VerificationFailed, LogErrorCodes.NoteNotVerified, $"`{CliInput.DisplayName(path)}` is not verified: {result.Reason}",
                    result.UnverifiedSignatures.Count > 0 ? $"the note is signed by unknown keys: {string.Join(", ", result.UnverifiedSignatures.Select(s => $"`{s.Name}+{s.KeyId:x8}`"))}" : null),
            };
        });
        return command;
    }

    private static Command CreateCosign(TextWriter stdout, TextWriter stderr)
    {
        var key = new Option<string>("--key") { Description = "The cosigner's signer key file, as `key new` writes it", Required = true };
        var logKey = new Option<string>("--log-key") { Description = "The log's verifier key, inline or as a file: the checkpoint must verify with it first", Required = true };
        var file = new Argument<string?>("FILE") { Description = "The log's signed checkpoint; standard input when omitted or `-`", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("cosign", "Add a C2SP cosignature/v1 to a signed checkpoint and print it") { key, logKey, file };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            if (!KeyFiles.TryLoadSignerKey(context, parse.GetValue(key)!, out var signerKey, out var keyExit))
            {
                return keyExit;
            }

            if (!KeyFiles.TryReadVerifierKey(parse.GetValue(logKey)!, out var logVerifierKey, out var keyError))
            {
                return context.Fail(ExitCodes.Invalid, LogErrorCodes.KeyMalformed, keyError!, "give the log's verifier key `name+hash+base64` or its .pub file");
            }

            var path = parse.GetValue(file);
            if (!CliInput.TryReadAll(context, path, out var input))
            {
                return ExitCodes.Error;
            }

            // Security: a cosignature vouches for the checkpoint, so only a checkpoint the log really signed is cosigned.
            if (!Checkpoint.TryOpen(input, [NoteVerifier.ForEd25519(logVerifierKey!)], out _, out var verification))
            {
                return verification.Failure == NoteFailure.Malformed
                    ? context.Fail(ExitCodes.Invalid, LogErrorCodes.NoteMalformed, $"`{CliInput.DisplayName(path)}` is not a signed checkpoint: {verification.Reason}")
                    : context.Fail(ExitCodes.VerificationFailed, LogErrorCodes.NoteNotVerified, $"`{CliInput.DisplayName(path)}` is not verified by the log key: {verification.Reason}");
            }

            var cosigner = CosignatureV1.CreateSigner(signerKey, TimeProvider.System.GetUtcNow());
            context.Out.Write(verification.Note!.AddSignatures(cosigner).ToString());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int Print(CliContext context, string text)
    {
        context.Out.Write(text);
        return ExitCodes.Ok;
    }

    private static bool TryReadVerifier(string textOrPath, [NotNullWhen(true)] out NoteVerifier? verifier, [NotNullWhen(false)] out string? error)
    {
        verifier = null;
        if (KeyFiles.TryReadVerifierKey(textOrPath, out var key, out error))
        {
            verifier = NoteVerifier.ForEd25519(key!);
            return true;
        }

        // A cosigner key (signature type 0x04) verifies C2SP tlog-cosignature lines; an Ed25519 (0x01) key failed above.
        var text = File.Exists(textOrPath) ? File.ReadAllText(textOrPath).Trim() : textOrPath;
        if (CosignatureV1.TryParseVerifierKey(text, out verifier, out _))
        {
            return true;
        }

        error ??= $"verifier key `{textOrPath}` is not valid";
        return false;
    }

    private static bool TryDecodeText(byte[] input, out string text)
    {
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(input);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
