using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Gateway.Hosting;
using Concordat.Licences;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat model register|card</c>: <c>register</c> checks every training input (a verified egress, dataset version or model
/// attestation) against its agreement — purpose, window, retention — and against the licences, then signs the model's
/// attestation (predicate <c>model/v1</c>), so models trained from models chain; <c>card</c> writes a Hugging Face model
/// card from such an attestation; offline.
/// </summary>
internal static class ModelCommand
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(stdout, stderr, TimeProvider.System);

    internal static Command Create(TextWriter stdout, TextWriter stderr, TimeProvider time) =>
        new("model", "Register trained models: check their inputs' agreements and licences, and attest them")
        {
            CreateRegister(stdout, stderr, time),
            CreateCard(stdout, stderr),
        };

    private static Command CreateRegister(TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var name = new Option<string>("--name") { Description = "The model's name", Required = true };
        var checkpoint = new Option<string>("--checkpoint") { Description = "The checkpoint: a file (one subject) or a folder (one subject per file)", Required = true };
        var config = new Option<string>("--config") { Description = "The training configuration file (its SHA-256 is recorded)", Required = true };
        var inputs = new Option<string[]>("--input") { Description = "A training input: an egress, dataset version or model attestation (DSSE envelope); repeatable", Required = true, Arity = ArgumentArity.OneOrMore };
        var trust = new Option<string[]>("--trust") { Description = "A verifier key the inputs are signed with (name+hash+base64, inline or a file); repeatable", Required = true, Arity = ArgumentArity.OneOrMore };
        var agreements = new Option<string[]>("--agreement") { Description = "An agreement the inputs were obtained under (YAML); repeatable", Arity = ArgumentArity.ZeroOrMore };
        var trainer = new Option<string>("--trainer") { Description = "Who trained the model (a party id)", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "The purpose it was trained for (a purpose id of the agreements)", Required = true };
        var licence = new Option<string?>("--licence") { Description = "The model's SPDX licence expression" };
        var use = new Option<string?>("--use") { Description = "What the model is for: research, evaluation, non-commercial or commercial (default: from the purpose)" };
        use.AcceptOnlyFromAmong([.. Enum.GetValues<ModelUse>().Select(LicenceCompatibility.NameOf)]);
        var ip = new Option<string>("--ip") { Description = "Where the model's IP comes from: foreground (created under the agreements; owned as their IP terms say), background (the trainer's own) or third-party", DefaultValueFactory = _ => IpClassifier.NameOf(IpCategory.Foreground) };
        ip.AcceptOnlyFromAmong([.. Enum.GetValues<IpCategory>().Select(IpClassifier.NameOf)]);
        var ipOwner = new Option<string?>("--ip-owner") { Description = "With --ip third-party: who owns the model outside the agreements" };
        var key = new Option<string>("--key") { Description = "The signer key file of the trainer (PRIVATE+KEY+name+hash+base64)", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the model's attestation to this file instead of standard output" };
        var limitations = new Option<string[]>("--limitation") { Description = "A known limitation of the model, one sentence; recorded in the attestation and listed by `model card`; repeatable", Arity = ArgumentArity.ZeroOrMore };
        var at = new Option<string?>("--at") { Description = "The registration time, RFC 3339 UTC (default: now)" };
        var json = new Option<bool>("--json") { Description = "With --out: print a summary as one JSON object" };
        var command = new Command("register", "Check a model's training inputs (purpose, window, retention, licences) and sign its model/v1 attestation; exit 2 when an input is refused")
        {
            name, checkpoint, config, inputs, trust, agreements, trainer, purpose, licence, use, ip, ipOwner, key, output, limitations, at, json,
        };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var instant = time.GetUtcNow();
            if (parse.GetValue(at) is { } atText && !Rfc3339.TryParseUtc(atText, out instant, out _))
            {
                return context.Fail(CliErrorCodes.ModelInstantInvalid, $"`--at`: `{atText}` is not an RFC 3339 UTC instant");
            }

            var category = Enum.GetValues<IpCategory>().First(c => IpClassifier.NameOf(c) == parse.GetValue(ip));
            var externalOwner = parse.GetValue(ipOwner);
            if ((category == IpCategory.ThirdParty) != (externalOwner is not null))
            {
                return context.Fail(CliErrorCodes.ModelIpOwnerInvalid, category == IpCategory.ThirdParty ? "`--ip third-party` needs `--ip-owner`: who owns the model outside the agreements" : "`--ip-owner` is for `--ip third-party` only: the agreements' IP terms name the owners of background and foreground IP");
            }

            if (!KeyFiles.TryLoadSignerKey(context, parse.GetValue(key)!, out var signerKey, out var keyExit)
                || !KeyFiles.TryLoadDsseKeys(context, parse.GetValue(trust)!, out var trusted, out keyExit))
            {
                return keyExit;
            }

            var loaded = new List<(Agreement Agreement, Sha256Digest Digest)>();
            foreach (var path in parse.GetValue(agreements) ?? [])
            {
                if (AgreementFiles.Load(context, path, out var agreementExit) is not { } agreement)
                {
                    return agreementExit;
                }

                loaded.Add((agreement, AgreementDigest.Compute(agreement)));
            }

            var checkpointPath = parse.GetValue(checkpoint)!;
            if (!File.Exists(checkpointPath) && !Directory.Exists(checkpointPath))
            {
                return context.Fail(CliErrorCodes.FileUnreadable, $"`--checkpoint`: `{checkpointPath}` is neither a file nor a folder");
            }

            if (!CliInput.TryReadAll(context, parse.GetValue(config)!, out var configBytes))
            {
                return ExitCodes.Error;
            }

            var modelInputs = new List<ModelInput>();
            foreach (var path in parse.GetValue(inputs)!)
            {
                if (!CliInput.TryReadAll(context, path, out var envelope))
                {
                    return ExitCodes.Error;
                }

                var verified = Attestation.Verify(envelope, trusted);
                if (!verified.IsVerified)
                {
                    var error = verified.Error!;
                    context.WriteDiagnostics([error with { Message = $"input `{path}`: {error.Message}" }]);
                    return error.Code == AttestationErrorCodes.EnvelopeMalformed.Code ? ExitCodes.Invalid : ExitCodes.VerificationFailed;
                }

                modelInputs.Add(new ModelInput(Path.GetFileName(path), verified.Statement!));
            }

            IReadOnlyList<AttestationSubject> checkpoints;
            try
            {
                checkpoints = AttestationFiles.Subjects(checkpointPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return context.Fail(CliErrorCodes.InputUnreadable, $"`{checkpointPath}` cannot be read: {ex.Message}");
            }

            if (checkpoints.Count == 0)
            {
                return context.Fail(CliErrorCodes.NothingToAttest, $"folder `{checkpointPath}` holds no file");
            }

            var purposeId = new PurposeId(parse.GetValue(purpose)!);
            ModelUse? modelUse = parse.GetValue(use) is { } useText ? Enum.GetValues<ModelUse>().First(u => LicenceCompatibility.NameOf(u) == useText) : null;
            var registration = new ModelRegistration(
                parse.GetValue(name)!,
                checkpoints,
                Sha256Digest.FromBytes(SHA256.HashData(configBytes)),
                modelInputs,
                parse.GetValue(trainer)!,
                purposeId,
                loaded,
                parse.GetValue(licence),
                instant)
            {
                Limitations = parse.GetValue(limitations) ?? [],
            };
            var evaluation = ModelRegistrar.Evaluate(registration, modelUse, category, externalOwner);
            var (problems, licences, ipClass) = (evaluation.Problems, evaluation.Licences, evaluation.Ip);
            if (evaluation.Statement is not { } statement)
            {
                context.WriteDiagnostics(problems);
                return ExitCodes.Denied;
            }

            var envelopeBytes = Attestation.Sign(statement, signerKey).ToJson();
            var outPath = parse.GetValue(output);
            if (!AttestationFiles.TryWriteEnvelope(context, envelopeBytes, outPath, out var writeExit))
            {
                // Printed (exit 0, warnings after the envelope) or not written (the write error's exit).
                context.WriteDiagnostics(writeExit == ExitCodes.Ok ? problems : []);
                return writeExit;
            }

            var keyId = Attestation.KeyIdOf(signerKey.VerifierKey);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    attestation = outPath,
                    keyid = keyId,
                    model = registration.Model,
                    use = LicenceCompatibility.NameOf(licences.Use),
                    checkpoints = checkpoints.Select(c => new { name = c.Name, sha256 = c.Sha256!.Value.Hex }),
                    inputs = modelInputs.Select(i => new { input = i.Reference, predicateType = i.Statement.PredicateType }),
                    attributions = licences.Attributions,
                    ip = new { category = IpClassifier.NameOf(ipClass.Category), owners = ipClass.Owners, externalOwner = ipClass.ExternalOwner },
                    warnings = problems.Select(p => new { code = p.Code, message = p.Message }),
                }, s_json));
            }
            else
            {
                context.Out.WriteLine($"registered model `{registration.Model}`: {checkpoints.Count} checkpoint file(s), {modelInputs.Count} input(s), signed by `{keyId}`: {outPath}");
                context.Out.WriteLine($"ip: {IpClassifier.NameOf(ipClass.Category)}, owned by {(ipClass.ExternalOwner ?? string.Join(", ", ipClass.Owners))}");
                foreach (var credit in licences.Attributions)
                {
                    context.Out.WriteLine($"attribution: {credit.Input}: {credit.Source}: {credit.Text ?? "(no text given)"}");
                }

                context.WriteDiagnostics(problems);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCard(TextWriter stdout, TextWriter stderr)
    {
        var attestation = new Argument<string>("MODEL_ATTESTATION") { Description = "The model's attestation (the DSSE envelope `model register` wrote)" };
        var agreements = new Option<string[]>("--agreement") { Description = "An agreement the model's inputs were obtained under (YAML): its purposes describe the intended use; repeatable", Arity = ArgumentArity.ZeroOrMore };
        var output = new Option<string?>("--out") { Description = "Write the card to this file (README.md on the Hub) instead of standard output" };
        var workspace = new Option<string>("--workspace") { Description = "The workspace whose pinned keys (`trusted-keys`, and `log.pub` for the gateway's own attestations) the attestation's signature must verify with", Required = true };
        var trust = new Option<string[]>("--trust") { Description = "Another verifier key the attestation may be signed with (inline or a .pub file), such as the gateway's provider key; repeatable", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("card", "Verify a model's attestation against the workspace's pinned keys, then write its Hugging Face model card: licence, datasets and tags as YAML metadata, then model details, training data, intended use, licence and attribution, limitations")
        {
            attestation, agreements, output, workspace, trust,
        };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var path = parse.GetValue(attestation)!;
            if (!CliInput.TryReadAll(context, path, out var envelopeBytes))
            {
                return ExitCodes.Error;
            }

            if (!DsseEnvelope.TryParse(envelopeBytes, out var envelope, out var error) || !InTotoStatement.TryParse(envelope.Payload.Span, out var statement, out error))
            {
                context.WriteDiagnostics([error with { Message = $"`{path}`: {error.Message}" }]);
                return ExitCodes.Invalid;
            }

            if (statement.PredicateType != AttestationPredicateTypes.Model)
            {
                return context.Fail(CliErrorCodes.ModelCardNotAModel, $"`{path}` is a `{statement.PredicateType}` attestation, not a model's (`{AttestationPredicateTypes.Model}`)");
            }

            // Security: a card states what the model was trained on, so it is written only from an attestation whose
            // signature verifies with a key the workspace pins, as every other reader of attestations requires.
            if (!TryLoadCardKeys(context, parse.GetValue(workspace)!, parse.GetValue(trust) ?? [], out var trusted, out var keyExit))
            {
                return keyExit;
            }

            var verified = Attestation.Verify(envelopeBytes, trusted, AttestationPredicateTypes.Model);
            if (!verified.IsVerified)
            {
                var problem = verified.Error!;
                context.WriteDiagnostics([problem with { Message = $"`{path}`: {problem.Message}" }]);
                return problem.Code == AttestationErrorCodes.EnvelopeMalformed.Code ? ExitCodes.Invalid : ExitCodes.VerificationFailed;
            }

            var loaded = new List<Agreement>();
            foreach (var agreementPath in parse.GetValue(agreements) ?? [])
            {
                if (AgreementFiles.Load(context, agreementPath, out var agreementExit) is not { } agreement)
                {
                    return agreementExit;
                }

                loaded.Add(agreement);
            }

            var card = ModelCard.Write(statement, Sha256Digest.FromBytes(SHA256.HashData(envelopeBytes)), loaded);
            if (parse.GetValue(output) is not { } outPath)
            {
                context.Out.Write(card);
                return ExitCodes.Ok;
            }

            try
            {
                File.WriteAllText(outPath, card);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return context.Fail(CliErrorCodes.OutputUnwritable, $"cannot write `{outPath}`: {ex.Message}");
            }

            context.Out.WriteLine($"wrote the model card of `{statement.Predicate["model"]}` to `{outPath}`");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool TryLoadCardKeys(CliContext context, string workspace, string[] trust, out List<DsseVerifierKey> keys, out int exit)
    {
        keys = [];
        if (!Directory.Exists(workspace))
        {
            exit = context.Fail(CliErrorCodes.FileUnreadable, $"`--workspace`: `{workspace}` is not a folder");
            return false;
        }

        var logKey = Path.Combine(workspace, GatewayWorkspace.LogPublicKeyFileName);
        if (!KeyFiles.TryLoadDsseKeys(context, File.Exists(logKey) ? [logKey, .. trust] : trust, out keys, out exit))
        {
            return false;
        }

        var pinned = ComplianceArtifactStore.PinnedKeys(workspace, out var problems);
        if (problems.FirstOrDefault(p => p.IsError) is { } unreadable)
        {
            context.WriteDiagnostics([unreadable]);
            exit = ExitCodes.Invalid;
            return false;
        }

        keys.AddRange(pinned);
        return true;
    }
}
