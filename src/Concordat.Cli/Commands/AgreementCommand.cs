using System.CommandLine;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Core;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat agreement validate|lint|digest|sign|verify|status|explain|diff|export|terminate|upload|list</c>: the agreement language on
/// the command line. <c>upload</c> and <c>list</c>, which talk to a running gateway, are built in
/// <see cref="AgreementUploadCommand"/> and <see cref="AgreementListCommand"/>; <c>diff</c> and
/// <c>export</c> in <see cref="AgreementDiffCommand"/> and <see cref="AgreementExportCommand"/>.
/// </summary>
internal static class AgreementCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        return new Command("agreement", "Validate, digest, sign, verify and explain agreements")
        {
            Validate(stdout, stderr),
            Lint(stdout, stderr),
            Digest(stdout, stderr),
            Sign(stdout, stderr),
            Verify(stdout, stderr),
            Status(stdout, stderr),
            Explain(stdout, stderr),
            AgreementDiffCommand.Create(stdout, stderr),
            AgreementExportCommand.Create(stdout, stderr),
            Terminate(stdout, stderr),
            AgreementUploadCommand.Create(stdout, stderr),
            AgreementListCommand.Create(stdout, stderr),
        };
    }

    private static Argument<string> FileArgument() => new("file") { Description = "The agreement (YAML)" };

    private static Option<string> SignaturesOption() => new("--signatures") { Description = "The signature file (default: FILE with .yaml replaced by .sigs.json)" };

    private static Option<string> TrustedKeysOption() => new("--trusted-keys") { Description = "Pinned keys: lines `signer-id verifier-key`", Required = true };

    private static Command Validate(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("files") { Description = "The agreements (YAML)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("validate", "Check agreements and report every problem with file:line:column (exit 3 when any has errors)") { files };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var exit = ExitCodes.Ok;
            foreach (var path in parse.GetValue(files)!)
            {
                var agreement = AgreementFiles.Load(context, path, out var code);
                exit = Math.Max(exit, code);
                if (agreement is not null)
                {
                    context.Out.WriteLine($"{path}: valid: `{agreement.Id}` version {agreement.Version}, {AgreementDigest.Compute(agreement)}");
                }
            }

            return exit;
        });
        return command;
    }

    private static Command Lint(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var json = new Option<bool>("--json") { Description = "Print the warnings as one JSON object" };
        var command = new Command("lint", "Warn about missing clauses and about data roles that contradict the grants (exit 1 with warnings, 3 when the agreement has errors)") { file, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(file)!;
            if (!AgreementFiles.TryReadAgreement(context, path, out var read, out var source, out var code))
            {
                return code;
            }

            if (read.Agreement is not { } agreement)
            {
                AgreementFiles.Write(context, read.Diagnostics, source);
                return ExitCodes.Invalid;
            }

            var warnings = AgreementLint.Lint(read);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(AgreementLint.ToJson(agreement, warnings).ToJsonString());
            }
            else
            {
                AgreementFiles.Write(context, [.. warnings.Select(w => w.Diagnostic)], source);
                context.Out.WriteLine(warnings.Count == 0
                    ? $"{path}: `{agreement.Id}` version {agreement.Version}: no warnings"
                    : $"{path}: `{agreement.Id}` version {agreement.Version}: {warnings.Count} warning(s)");
            }

            return warnings.Count == 0 ? ExitCodes.Ok : ExitCodes.Error;
        });
        return command;
    }

    private static Command Digest(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var canonical = new Option<bool>("--canonical") { Description = "Print the RFC 8785 canonical JSON the digest is computed over" };
        var command = new Command("digest", "Print the agreement digest: sha256 over the RFC 8785 canonical JSON of the typed document") { file, canonical };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var agreement = AgreementFiles.Load(context, parse.GetValue(file)!, out var code);
            if (agreement is null)
            {
                return code;
            }

            context.Out.WriteLine(parse.GetValue(canonical)
                ? System.Text.Encoding.UTF8.GetString(AgreementDigest.CanonicalBytes(agreement))
                : AgreementDigest.Compute(agreement).ToString());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Sign(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var key = new Option<string>("--key") { Description = "The signer's private key file (from `concordat key new`)", Required = true };
        var signer = new Option<string>("--as") { Description = "The party or approver id to sign as", Required = true };
        var signaturesPath = SignaturesOption();
        var amends = AgreementDiffCommand.AmendsOption();
        var command = new Command("sign", "Sign the agreement's id, version and digest, adding the signature to its signature file") { file, key, signer, signaturesPath, amends };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(file)!;
            var agreement = AgreementFiles.Load(context, path, out var code);
            if (agreement is null)
            {
                return code;
            }

            // What the signer agrees to, before the signature: the amendment's changes and the engine's verdict.
            if (parse.GetValue(amends) is { } inForce && AgreementDiffCommand.WriteAgainst(context, inForce, agreement) is { } diffExit)
            {
                return diffExit;
            }

            if (parse.GetValue(amends) is null && agreement.Version > 1)
            {
                context.Error.WriteLine($"note: `{agreement.Id}` version {agreement.Version} amends an earlier version: pass `--amends IN-FORCE` to see what it changes, and whether it grants more, before signing");
            }

            var signerId = new SignerId(parse.GetValue(signer)!);
            var required = AgreementSigner.RequiredSigners(agreement).FirstOrDefault(r => r.Signer == signerId);
            if (required.DocumentKeys is null)
            {
                return context.Fail(CliErrorCodes.NotASigner, $"`{signerId}` is neither a party nor an approver of `{agreement.Id}`", $"sign as one of: {string.Join(", ", AgreementSigner.RequiredSigners(agreement).Select(r => $"`{r.Signer}`"))}");
            }

            if (!KeyFiles.TryReadSignerKey(parse.GetValue(key)!, out var signerKey, out var keyError))
            {
                return context.Fail(CliErrorCodes.SignerKeyUnreadable, keyError!);
            }

            var verifier = signerKey!.VerifierKey.ToString();
            if (required.DocumentKeys.Count > 0 && !required.DocumentKeys.Contains(verifier))
            {
                return context.Fail(CliErrorCodes.KeyNotListed, $"key `{signerKey.Name}+{signerKey.KeyId:x8}` is not a key the document names for `{signerId}`");
            }

            var target = parse.GetValue(signaturesPath) ?? SignatureFile.PathFor(path);
            var existing = File.Exists(target) ? AgreementFiles.LoadSignatures(context, path, target, out code) : [];
            if (existing is null)
            {
                return code;
            }

            var signature = AgreementSigner.Sign(agreement, signerId, signerKey);

            // Invariant: one signature per signer in the file; a signer's older signatures (over an earlier digest) are replaced.
            if (!CliPaths.TryWrite(context, target, () => File.WriteAllText(target, SignatureFile.Write([.. existing.Where(s => s.Signer != signerId), signature]))))
            {
                return CliErrorCodes.OutputUnwritable.Exit;
            }

            context.Out.WriteLine($"signed `{agreement.Id}` version {agreement.Version} ({signature.Digest}) as `{signerId}` with key `{signerKey.Name}+{signerKey.KeyId:x8}`: {target}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var trusted = TrustedKeysOption();
        var signaturesPath = SignaturesOption();
        var command = new Command("verify", "Check that every party and approver signed this exact digest with its pinned key (exit 4 when not)") { file, trusted, signaturesPath };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(file)!;
            var agreement = AgreementFiles.Load(context, path, out var code);
            var keys = agreement is null ? null : AgreementFiles.LoadTrustedKeys(context, parse.GetValue(trusted)!, out code);
            var signatures = keys is null ? null : AgreementFiles.LoadSignatures(context, path, parse.GetValue(signaturesPath), out code);
            if (agreement is null || keys is null || signatures is null)
            {
                return code;
            }

            var verification = AgreementVerifier.Verify(agreement, signatures, keys);
            foreach (var check in verification.Signers)
            {
                var kind = check.Kind == SignerKind.Party ? "party" : "approver";
                context.Out.WriteLine(check.HasValidSignature ? $"ok      {kind} `{check.Signer}`" : $"FAILED  {kind} `{check.Signer}`: {check.Problem}");
            }

            AgreementFiles.Write(context, verification.Diagnostics, null);
            context.Out.WriteLine(verification.IsFullySigned
                ? $"`{agreement.Id}` version {agreement.Version} ({verification.Digest}) is signed by every party and approver"
                : $"`{agreement.Id}` version {agreement.Version} ({verification.Digest}) is not fully signed: missing {string.Join(", ", verification.Missing.Select(m => $"`{m}`"))}");
            return verification.IsFullySigned ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        });
        return command;
    }

    private static Command Status(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("files") { Description = "The agreements (YAML); newer versions among them supersede older ones", Arity = ArgumentArity.OneOrMore };
        var trusted = TrustedKeysOption();
        var at = new Option<string>("--at") { Description = "The instant (RFC 3339 UTC) to evaluate at; default: now" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var command = new Command("status", "Say whether each agreement is draft, partly signed, in force, expired, terminated or superseded") { files, trusted, at, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var instant = TimeProvider.System.GetUtcNow();
            if (parse.GetValue(at) is { } atText && !Rfc3339.TryParseUtc(atText, out instant, out var error))
            {
                return context.Fail(CliErrorCodes.InvalidInstant, $"`--at`: `{atText}` is not a valid instant", error);
            }

            var keys = AgreementFiles.LoadTrustedKeys(context, parse.GetValue(trusted)!, out var code);
            if (keys is null)
            {
                return code;
            }

            var loaded = new List<(string Path, SignedAgreement Signed)>();
            foreach (var path in parse.GetValue(files)!)
            {
                var agreement = AgreementFiles.Load(context, path, out code);
                var signatures = agreement is null ? null : AgreementFiles.LoadSignatures(context, path, null, out code);
                TerminationRecord? termination = null;
                if (agreement is null || signatures is null || !AgreementFiles.TryLoadTermination(context, path, out termination, out code))
                {
                    return code;
                }

                loaded.Add((path, new SignedAgreement(agreement, signatures, termination)));
            }

            var all = loaded.Select(l => l.Signed).ToList();
            var statuses = loaded.Select(l => (l.Path, Status: AgreementStatusEvaluator.Evaluate(l.Signed, all, keys, instant))).ToList();
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(statuses.Select(s => ToJson(s.Path, s.Status)), s_json));
            }
            else
            {
                foreach (var (path, status) in statuses)
                {
                    context.Out.WriteLine($"{path}: {Describe(status)}");
                }
            }

            AgreementFiles.Write(context, statuses.SelectMany(s => s.Status.Diagnostics).Where(d => d.Code != AgreementDiagnosticCodes.SignatureMissing.Code).ToList(), null);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Explain(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var amends = AgreementDiffCommand.AmendsOption();
        var command = new Command("explain", "Say in plain language who may do what, on which data, for which purpose, where and until when") { file, amends };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var agreement = AgreementFiles.Load(context, parse.GetValue(file)!, out var code);
            if (agreement is null)
            {
                return code;
            }

            context.Out.Write(AgreementExplainer.Explain(agreement));
            if (parse.GetValue(amends) is { } inForce)
            {
                context.Out.WriteLine();
                return AgreementDiffCommand.WriteAgainst(context, inForce, agreement) ?? ExitCodes.Ok;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Terminate(TextWriter stdout, TextWriter stderr)
    {
        var file = FileArgument();
        var key = new Option<string>("--key") { Description = "The party's private key file", Required = true };
        var signer = new Option<string>("--as") { Description = "The party id terminating the agreement", Required = true };
        var at = new Option<string>("--at") { Description = "When the termination takes effect (RFC 3339 UTC)", Required = true };
        var command = new Command("terminate", "Write a termination record signed by a party, next to the agreement") { file, key, signer, at };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(file)!;
            var agreement = AgreementFiles.Load(context, path, out var code);
            if (agreement is null)
            {
                return code;
            }

            var atText = parse.GetValue(at)!;
            if (!Rfc3339.TryParseUtc(atText, out var effectiveAt, out var error))
            {
                return context.Fail(CliErrorCodes.InvalidInstant, $"`--at`: `{atText}` is not a valid instant", error);
            }

            if (TerminationFile.CheckNotice(agreement, effectiveAt, TimeProvider.System.GetUtcNow()) is { } notice)
            {
                context.WriteDiagnostics([notice]);
                return ExitCodes.Invalid;
            }

            var signerId = new SignerId(parse.GetValue(signer)!);
            if (!agreement.Parties.Any(p => p.Id.Value == signerId.Value))
            {
                return context.Fail(CliErrorCodes.NotASigner, $"`{signerId}` is not a party of `{agreement.Id}`", "only a party can terminate an agreement");
            }

            if (!KeyFiles.TryReadSignerKey(parse.GetValue(key)!, out var signerKey, out var keyError))
            {
                return context.Fail(CliErrorCodes.SignerKeyUnreadable, keyError!);
            }

            var target = TerminationFile.PathFor(path);
            if (File.Exists(target))
            {
                return context.Fail(CliErrorCodes.TerminationExists, $"`{target}` already exists");
            }

            if (!CliPaths.TryWrite(context, target, () => File.WriteAllText(target, TerminationFile.Write(TerminationFile.Create(agreement, effectiveAt, signerId, signerKey!)))))
            {
                return CliErrorCodes.OutputUnwritable.Exit;
            }

            context.Out.WriteLine($"terminated `{agreement.Id}` version {agreement.Version} as `{signerId}`, effective {Rfc3339.Format(effectiveAt)}: {target}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Describe(AgreementStatus status)
    {
        var what = $"`{status.Id}` version {status.Version} ({status.Digest})";
        return status.State switch
        {
            AgreementState.Draft => $"draft: {what}; no valid signature yet",
            AgreementState.PartlySigned => $"partly-signed: {what}; missing {string.Join(", ", status.Missing.Select(m => $"`{m}`"))}",
            AgreementState.Terminated => $"terminated: {what}; since {Rfc3339.Format(status.TerminatedAt!.Value)}",
            AgreementState.Superseded => $"superseded: {what}; version {status.SupersededBy} is in force",
            _ => $"{AgreementEnumText.ToText(status.State)}: {what}",
        };
    }

    private static object ToJson(string path, AgreementStatus status) => new
    {
        file = path,
        id = status.Id.Value,
        version = status.Version,
        digest = status.Digest.ToString(),
        state = AgreementEnumText.ToText(status.State),
        at = Rfc3339.Format(status.At),
        missing = status.Missing.Select(m => m.Value),
        terminatedAt = status.TerminatedAt is { } t ? Rfc3339.Format(t) : null,
        supersededBy = status.SupersededBy,
    };
}
