using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Compliance;
using Concordat.Core;
using Concordat.Log;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat artifact register|list</c>: compliance artifacts (a DPIA, a validation report, a model card) registered
/// for an agreement with their digests, each as a signed <c>compliance-artifact/v1</c> attestation kept in the
/// workspace and committed to by a <c>gateway.attestation/v1</c> log entry.
/// </summary>
internal static partial class ArtifactCommand
{
    /// <summary>The <c>kind</c> of the log entry that commits to a registration.</summary>
    public const string EntryKind = "compliance-artifact";

    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(stdout, stderr, TimeProvider.System);

    internal static Command Create(TextWriter stdout, TextWriter stderr, TimeProvider time) =>
        new("artifact", "Register compliance artifacts (DPIA, risk assessment, validation report, model card...) with their digests, and list them")
        {
            CreateRegister(stdout, stderr, time),
            CreateList(stdout, stderr),
        };

    private static Command CreateRegister(TextWriter stdout, TextWriter stderr, TimeProvider time)
    {
        var place = new LogStoreCommands.PlaceOptions();
        var kind = new Option<string>("--kind") { Description = "The artifact kind, a lowercase id: dpia, risk-assessment, validation-report, model-card, consent-log, de-identification-test, baa, ... (the kinds the checklists name)", Required = true };
        var agreement = new Option<string>("--agreement") { Description = "The agreement id the artifact is registered for", Required = true };
        var file = new Option<string>("--file") { Description = "The document; its SHA-256 is registered, never its content", Required = true };
        var expires = new Option<string?>("--expires") { Description = "When the artifact stops satisfying checklist items (RFC 3339 UTC), such as a DPIA's review date" };
        var key = new Option<string>("--key") { Description = "The registering party's signer key file (PRIVATE+KEY+name+hash+base64); its verifier key must be pinned in the workspace's trusted-keys for the artifact to count", Required = true };
        var party = new Option<string?>("--as") { Description = "The party registering it (a party id of the agreement)" };
        var at = new Option<string?>("--at") { Description = "The registration time, RFC 3339 UTC (default: now)" };
        var json = new Option<bool>("--json") { Description = "Print the registration as one JSON object" };
        var command = new Command("register", "Sign a compliance-artifact attestation of a document for an agreement, keep it in the workspace and log it")
        {
            place.Workspace, place.Store, kind, agreement, file, expires, key, party, at, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var kindText = parse.GetValue(kind)!;
            var instant = time.GetUtcNow();
            DateTimeOffset? expiresAt = null;
            if (!KindPattern().IsMatch(kindText))
            {
                return context.Fail(CliErrorCodes.ArtifactRegistrationInvalid, $"`--kind`: `{kindText}` is not a lowercase id");
            }

            if (parse.GetValue(at) is { } atText && !Rfc3339.TryParseUtc(atText, out instant, out _))
            {
                return context.Fail(CliErrorCodes.ArtifactRegistrationInvalid, $"`--at`: `{atText}` is not an RFC 3339 UTC instant");
            }

            if (parse.GetValue(expires) is { } expiresText)
            {
                if (!Rfc3339.TryParseUtc(expiresText, out var until, out _) || until <= instant)
                {
                    return context.Fail(CliErrorCodes.ArtifactRegistrationInvalid, $"`--expires`: `{expiresText}` is not an RFC 3339 UTC instant after the registration at {Rfc3339.Format(instant)}");
                }

                expiresAt = until;
            }

            if (!KeyFiles.TryLoadSignerKey(context, parse.GetValue(key)!, out var signerKey, out var keyExit))
            {
                return keyExit;
            }

            var path = parse.GetValue(file)!;
            if (!CliInput.TryReadAll(context, path, out var bytes))
            {
                return ExitCodes.Error;
            }

            var artifact = new ComplianceArtifact(kindText, new AgreementId(parse.GetValue(agreement)!), Path.GetFileName(path), Sha256Digest.FromBytes(SHA256.HashData(bytes)), instant, expiresAt, parse.GetValue(party));
            var statement = artifact.ToStatement();
            var envelope = Attestation.Sign(statement, signerKey).ToJson();
            var keyId = Attestation.KeyIdOf(signerKey.VerifierKey);
            var workspace = parse.GetValue(place.Workspace)!;
            var body = new JsonObject
            {
                ["kind"] = EntryKind,
                ["predicateType"] = statement.PredicateType,
                ["subjects"] = new JsonArray(new JsonObject { ["name"] = artifact.Name, ["sha256"] = artifact.Digest.ToString() }),
                ["envelope"] = Sha256Digest.Compute(envelope).ToString(),
                ["keyId"] = keyId,
                ["agreement"] = artifact.Agreement.Value,
            };
            var entry = LogEntry.Create("gateway.attestation/v1", instant, JsonSerializer.SerializeToElement(body));
            long index = -1;
            var logged = await LogStoreCommands.RunOnStoreAsync(context, place.Read(parse), engine => LogStoreCommands.WithLogAsync(context, engine, workspace, signing: false, create: false, async log =>
            {
                // Invariant: the entry is durable before the envelope is kept, so every envelope kept is one the log commits to.
                var result = await log.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
                if (result.IsPushback)
                {
                    return context.Fail(ExitCodes.Error, LogErrorCodes.Pushback, "the log is too busy to take the entry", $"retry after {result.RetryAfter.TotalSeconds} s");
                }

                index = result.Index;
                return ExitCodes.Ok;
            })).ConfigureAwait(false);
            if (logged != ExitCodes.Ok)
            {
                return logged;
            }

            var stored = ComplianceArtifactStore.PathOf(workspace, artifact);
            Directory.CreateDirectory(Path.GetDirectoryName(stored)!);
            await File.WriteAllBytesAsync(stored, envelope, cancellationToken).ConfigureAwait(false);
            context.Out.WriteLine(parse.GetValue(json)
                ? new JsonObject
                {
                    ["kind"] = artifact.Kind,
                    ["agreement"] = artifact.Agreement.Value,
                    ["name"] = artifact.Name,
                    ["digest"] = artifact.Digest.ToString(),
                    ["registeredAt"] = Rfc3339.Format(instant),
                    ["expiresAt"] = expiresAt is { } e ? Rfc3339.Format(e) : null,
                    ["keyId"] = keyId,
                    ["attestation"] = Path.GetRelativePath(workspace, stored),
                    ["logIndex"] = index,
                }.ToJsonString()
                : $"registered {artifact.Kind} `{artifact.Name}` ({artifact.Digest}) for `{artifact.Agreement.Value}`, signed by `{keyId}`, log entry {index}: {stored}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList(TextWriter stdout, TextWriter stderr)
    {
        var workspace = WorkspaceOptions.Workspace();
        var agreement = new Option<string?>("--agreement") { Description = "Only the artifacts of this agreement" };
        var json = new Option<bool>("--json") { Description = "Print the artifacts as one JSON array" };
        var command = new Command("list", "List the registered artifacts whose attestations verify with the workspace's pinned keys (a table, or --json)") { workspace, agreement, json };
        command.SetAction(parse =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var folder = parse.GetValue(workspace)!;
            var trusted = ComplianceArtifactStore.PinnedKeys(folder, out var keyProblems);
            var (artifacts, problems) = ComplianceArtifactStore.Load(folder, trusted, parse.GetValue(agreement) is { } id ? new AgreementId(id) : null);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(new JsonArray([.. artifacts.Select(a => (JsonNode)new JsonObject
                {
                    ["kind"] = a.Kind,
                    ["agreement"] = a.Agreement.Value,
                    ["name"] = a.Name,
                    ["digest"] = a.Digest.ToString(),
                    ["registeredAt"] = Rfc3339.Format(a.RegisteredAt),
                    ["expiresAt"] = a.ExpiresAt is { } e ? Rfc3339.Format(e) : null,
                    ["registeredBy"] = a.RegisteredBy,
                    ["signedBy"] = a.SignedBy,
                })]).ToJsonString());
            }
            else
            {
                CliTable.Write(context, ["agreement", "kind", "name", "digest", "registered", "expires", "signed by"], artifacts.Select(a => (IReadOnlyList<string>)
                [
                    a.Agreement.Value, a.Kind, a.Name, a.Digest.ToString(), Rfc3339.Format(a.RegisteredAt), a.ExpiresAt is { } e ? Rfc3339.Format(e) : "-", a.SignedBy ?? "-",
                ]));
            }

            context.WriteDiagnostics([.. keyProblems, .. problems]);
            return ExitCodes.Ok;
        });
        return command;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex KindPattern();
}
