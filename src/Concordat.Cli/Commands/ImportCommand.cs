using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Log;
using Concordat.Store;
using Concordat.Store.Registry;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat import --from EXPORT --workspace NEW</c>: rebuilds a workspace from an exit export: the log entry for
/// entry (so its root is the export's), the agreement versions with their signatures and terminations, the dataset
/// versions byte for byte and the gateway's attestations.
/// </summary>
/// <remarks>
/// What an export cannot carry is made new: the log key (the new workspace signs its own checkpoints over the same
/// tree), the pseudonymisation key (pseudonyms differ from the old workspace's), and identities, whose secrets were
/// never exported.
/// </remarks>
internal static class ImportCommand
{
    private const int AppendBatch = 4096;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var place = new LogStoreCommands.PlaceOptions();
        var from = new Option<string>("--from") { Description = "The folder `concordat export` wrote", Required = true };
        var logKey = new Option<string?>("--log-key") { Description = "The exported log's verifier key: verify the export's log with it before importing" };
        var json = new Option<bool>("--json") { Description = "Print a summary as one JSON object" };
        var command = new Command("import", "Rebuild a workspace from an exit export (`concordat export`): the same log root, agreements and dataset versions")
        {
            from, place.Workspace, place.Store, logKey, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var export = Path.GetFullPath(parse.GetValue(from)!);
            if (!File.Exists(Path.Combine(export, "agreements.json")) || !File.Exists(LogPath(export)))
            {
                return context.Fail(CliErrorCodes.ImportNotAnExport, $"`{export}` is not a folder `concordat export` wrote");
            }

            var at = place.Read(parse);
            var workspace = Path.GetFullPath(at.Workspace);
            if (File.Exists(workspace) || (Directory.Exists(workspace) && Directory.EnumerateFileSystemEntries(workspace).Any()))
            {
                return context.Fail(CliErrorCodes.ImportWorkspaceNotEmpty, $"`{workspace}` exists and is not an empty folder");
            }

            if (parse.GetValue(logKey) is { } key)
            {
                var (verified, failure) = await LogExportCommands.TryVerifyAsync(context, LogPath(export), key, cancellationToken).ConfigureAwait(false);
                if (verified is null)
                {
                    return failure;
                }
            }

            // Invariant: on SQLite the workspace is built beside its destination and moved into place once complete,
            // so a failed import leaves nothing that looks like a workspace.
            var staging = at.Store is null ? workspace + ".partial" : workspace;
            if (at.Store is null && Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            var code = await LogStoreCommands.RunOnStoreAsync(context, at with { Workspace = staging }, engine => ImportAsync(context, engine, export, staging, parse.GetValue(json), cancellationToken)).ConfigureAwait(false);
            if (at.Store is null)
            {
                if (code == ExitCodes.Ok)
                {
                    if (Directory.Exists(workspace))
                    {
                        Directory.Delete(workspace);
                    }

                    Directory.Move(staging, workspace);
                }
                else if (Directory.Exists(staging))
                {
                    Directory.Delete(staging, recursive: true);
                }
            }

            return code;
        });
        return command;
    }

    private static string LogPath(string export) => Path.Combine(export, "log", "log-export.json");

    private static async Task<int> ImportAsync(CliContext context, IStoreEngine engine, string export, string workspace, bool json, CancellationToken cancellationToken)
    {
        if (await engine.HasLogAsync(cancellationToken).ConfigureAwait(false))
        {
            return context.Fail(CliErrorCodes.ImportWorkspaceNotEmpty, $"the {engine.Name} store already holds a log");
        }

        JsonNode header;
        List<JsonNode?> agreements;
        try
        {
            using (var reader = new StreamReader(LogPath(export)))
            {
                header = JsonNode.Parse(await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty)!;
            }

            agreements = [.. JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(export, "agreements.json"), cancellationToken).ConfigureAwait(false))!.AsArray()];
        }
        catch (Exception ex) when (ex is JsonException or IOException or InvalidOperationException or NullReferenceException)
        {
            return context.Fail(CliErrorCodes.ImportNotAnExport, $"`{export}` does not read as an export: {ex.Message}");
        }

        var origin = header["origin"]?.GetValue<string>() ?? string.Empty;
        var rootHash = header["rootHash"]?.GetValue<string>();
        await LogStoreCommands.CreateLogKeyAsync(workspace, origin, cancellationToken).ConfigureAwait(false);
        long entries = 0;
        var logged = await LogStoreCommands.WithLogAsync(context, engine, workspace, signing: true, create: true, async log =>
        {
            await using var file = File.OpenRead(LogPath(export));
            var pending = new List<Task<LogAppendResult>>(AppendBatch);
            await foreach (var (_, entry) in LogExportEntries.ReadAsync(file, cancellationToken).ConfigureAwait(false))
            {
                pending.Add(log.AppendAsync(entry, cancellationToken));
                if (pending.Count == AppendBatch && !await CommittedAsync(pending).ConfigureAwait(false))
                {
                    return context.Fail(CliErrorCodes.ImportMismatch, "the new log pushed back while the entries were appended");
                }

                entries++;
            }

            if (!await CommittedAsync(pending).ConfigureAwait(false))
            {
                return context.Fail(CliErrorCodes.ImportMismatch, "the new log pushed back while the entries were appended");
            }

            var outcome = await log.SignCheckpointAsync(cancellationToken).ConfigureAwait(false);
            if (!outcome.IsSigned)
            {
                return LogStoreCommands.Report(context, outcome.Problem!);
            }

            // Invariant: the same entries in the same order make the same tree: the root must be the export's.
            return outcome.Checkpoint!.RootHash.ToBase64() == rootHash
                ? ExitCodes.Ok
                : context.Fail(CliErrorCodes.ImportMismatch, $"the rebuilt log's root `{outcome.Checkpoint.RootHash.ToBase64()}` is not the export's `{rootHash}`");
        }).ConfigureAwait(false);
        if (logged != ExitCodes.Ok)
        {
            return logged;
        }

        await engine.Registry.InitializeAsync(cancellationToken).ConfigureAwait(false);
        foreach (var item in agreements)
        {
            if (await ImportAgreementAsync(engine.Registry, export, item!, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return context.Fail(CliErrorCodes.ImportNotAnExport, problem);
            }
        }

        var (datasets, failure) = await ImportDatasetsAsync(export, workspace, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return context.Fail(CliErrorCodes.ImportMismatch, failure);
        }

        var attestations = ExportCommand.CopyAttestations(export, workspace);
        var summary = new JsonObject
        {
            ["workspace"] = workspace,
            ["logEntries"] = entries,
            ["logRootHash"] = rootHash,
            ["agreementVersions"] = agreements.Count,
            ["datasetVersions"] = datasets,
            ["attestations"] = attestations,
        };
        context.Out.WriteLine(json
            ? summary.ToJsonString()
            : $"imported {entries} log entries (root {rootHash}), {agreements.Count} agreement version(s), {datasets} dataset version(s) and {attestations} attestation(s); identities are not exported: create them again");
        return ExitCodes.Ok;
    }

    private static async Task<bool> CommittedAsync(List<Task<LogAppendResult>> pending)
    {
        var results = await Task.WhenAll(pending).ConfigureAwait(false);
        pending.Clear();
        return results.All(r => !r.IsPushback);
    }

    // One agreements.json item: the YAML as uploaded, its signature file split back into one record per signature
    // (as the gateway stores them), its state and times, and its termination.
    private static async Task<string?> ImportAgreementAsync(IRegistryStore registry, string export, JsonNode item, CancellationToken cancellationToken)
    {
        var id = new AgreementId(item["agreement"]!.GetValue<string>());
        var version = item["version"]!.GetValue<int>();
        var directory = Path.Combine(export, "agreements", id.Value);
        if (!IsOneName(id.Value) || !Enum.TryParse<AgreementVersionState>(item["state"]?.GetValue<string>(), ignoreCase: true, out var state) ||
            !Sha256Digest.TryParse(item["digest"]?.GetValue<string>(), out var digest))
        {
            return $"agreement `{id}` version {version} in agreements.json does not read";
        }

        var document = await File.ReadAllBytesAsync(Path.Combine(directory, $"v{version}.yaml"), cancellationToken).ConfigureAwait(false);
        var signaturesPath = Path.Combine(directory, $"v{version}{SignatureFile.Suffix}");
        var signatures = File.Exists(signaturesPath)
            ? SignatureFile.Read(await File.ReadAllTextAsync(signaturesPath, cancellationToken).ConfigureAwait(false), signaturesPath, out _)
                .Select(s => new AgreementSignatureRecord(s.Signer.Value, SignatureFile.Write([s]))).ToList()
            : [];
        var terminationPath = Path.Combine(directory, $"v{version}.termination.json");
        var record = new AgreementVersionRecord(id, version, digest, document, signatures, state, Instant(item["uploadedAt"])!.Value, Instant(item["activatedAt"]));
        await registry.AddAgreementVersionAsync(record, cancellationToken).ConfigureAwait(false);
        if (File.Exists(terminationPath) && Instant(item["terminatesAt"]) is { } terminatesAt)
        {
            await registry.TerminateAgreementVersionAsync(id, version, await File.ReadAllTextAsync(terminationPath, cancellationToken).ConfigureAwait(false), terminatesAt, cancellationToken).ConfigureAwait(false);
        }

        if (AgreementReader.Read(document, $"v{version}.yaml").Agreement is { } parsed)
        {
            foreach (var party in parsed.Parties)
            {
                await registry.PutPartyAsync(new PartyRecord(party.Id, party.LegalName, record.UploadedAt), cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    // Security: an id from the export names one folder inside it, never a path out of it.
    private static bool IsOneName(string id) => id.Length > 0 && id != "." && id != ".." && id.IndexOfAny(['/', '\\']) < 0 && id == Path.GetFileName(id);

    private static DateTimeOffset? Instant(JsonNode? node) => node is null ? null : node.GetValue<DateTimeOffset>();

    // datasets/ID/vN: the stored rows and manifest, restored byte for byte in version order.
    private static async Task<(int Count, string? Failure)> ImportDatasetsAsync(string export, string workspace, CancellationToken cancellationToken)
    {
        var root = Path.Combine(export, "datasets");
        var store = new DatasetStore(workspace, TimeProvider.System);
        var count = 0;
        foreach (var dataset in Directory.Exists(root) ? [.. Directory.GetDirectories(root).Order(StringComparer.Ordinal)] : Array.Empty<string>())
        {
            var versions = Directory.GetDirectories(dataset)
                .Select(d => (Path: d, Number: int.TryParse(Path.GetFileName(d).TrimStart('v'), out var n) ? n : 0))
                .Where(v => v.Number > 0)
                .OrderBy(v => v.Number);
            foreach (var (path, _) in versions)
            {
                var manifest = await File.ReadAllBytesAsync(Path.Combine(path, "manifest.json"), cancellationToken).ConfigureAwait(false);
                await using var rows = File.OpenRead(Path.Combine(path, "rows.ndjson"));
                if (await store.RestoreAsync(manifest, rows, cancellationToken).ConfigureAwait(false) is { } problem)
                {
                    return (count, problem);
                }

                count++;
            }
        }

        return (count, null);
    }
}
