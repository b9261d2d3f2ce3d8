using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Data.Parquet;
using Concordat.Decisions;
using Concordat.Log;
using Concordat.Store;

namespace Concordat.Cli.Commands;

/// <summary>
/// <c>concordat export --workspace W --out DIR</c>: the exit export, a workspace in open formats that need no Concordat
/// to read: agreement versions as uploaded (YAML) with their signatures, the log as a verifiable export, every dataset
/// version as Parquet with its manifest, identities without secrets, and a README.
/// </summary>
internal static class ExportCommand
{
    /// <summary>The workspace's and the export's folder of the gateway's attestations.</summary>
    internal const string AttestationsFolder = "attestations";

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    // No field rule, no row rule: the rows as imported.
    private static readonly Obligations s_verbatim = new([], false, null, null, null, null, null);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var place = new LogStoreCommands.PlaceOptions();
        var output = new Option<string>("--out") { Description = "The folder to write; it must not exist or be empty, and appears only once the export is complete", Required = true };
        var json = new Option<bool>("--json") { Description = "Print a summary as one JSON object" };
        var command = new Command("export", "Export the whole workspace in open formats (YAML, JSON, Parquet, the log export), for leaving Concordat or for an auditor")
        {
            place.Workspace, place.Store, output, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var context = ConcordatCommand.CreateContext(parse, stdout, stderr);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(folder) || (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any()))
            {
                return Task.FromResult(context.Fail(CliErrorCodes.ExportExists, $"`{folder}` exists and is not an empty folder"));
            }

            var at = place.Read(parse);
            return LogStoreCommands.RunOnStoreAsync(context, at, engine => ExportAsync(context, engine, at.Workspace, folder, parse.GetValue(json), cancellationToken));
        });
        return command;
    }

    private static async Task<int> ExportAsync(CliContext context, IStoreEngine engine, string workspace, string folder, bool json, CancellationToken cancellationToken)
    {
        // Invariant: the export is written beside its destination and moved into place once complete, so a failed export
        // never leaves a folder that looks like one.
        var partial = folder + ".partial";
        try
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }

            Directory.CreateDirectory(partial);
            await engine.Registry.InitializeAsync(cancellationToken).ConfigureAwait(false);
            var agreements = await ExportAgreementsAsync(engine, partial, cancellationToken).ConfigureAwait(false);
            var identities = await ExportIdentitiesAsync(engine, partial, cancellationToken).ConfigureAwait(false);
            var log = await ExportLogAsync(engine, partial, cancellationToken).ConfigureAwait(false);
            if (log is { IsValid: false })
            {
                return LogStoreCommands.Report(context, log.Problem!);
            }

            var datasets = await ExportDatasetsAsync(workspace, agreements.Parsed, partial, cancellationToken).ConfigureAwait(false);
            var attestations = CopyAttestations(workspace, partial);
            await File.WriteAllTextAsync(Path.Combine(partial, "README.md"), Readme(log), cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder);
            }

            Directory.Move(partial, folder);
            var summary = new JsonObject
            {
                ["folder"] = folder,
                ["agreementVersions"] = agreements.Count,
                ["identities"] = identities,
                ["logEntries"] = log?.TreeSize,
                ["logRootHash"] = log?.RootHash?.ToString(),
                ["datasetVersions"] = datasets,
                ["attestations"] = attestations,
            };
            context.Out.WriteLine(json
                ? summary.ToJsonString()
                : $"exported {agreements.Count} agreement version(s), {identities} identity(ies), {log?.TreeSize ?? 0} log entries, {datasets} dataset version(s) and {attestations} attestation(s) to `{folder}`");
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return context.Fail(CliErrorCodes.OutputUnwritable, $"cannot write `{folder}`: {ex.Message}");
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
    }

    // agreements/ID/vN.yaml as uploaded, vN.sigs.json, vN.termination.json; agreements.json lists them.
    private static async Task<(int Count, Dictionary<DatasetId, Agreement> Parsed)> ExportAgreementsAsync(IStoreEngine engine, string folder, CancellationToken cancellationToken)
    {
        var versions = await engine.Registry.ListAgreementVersionsAsync(cancellationToken).ConfigureAwait(false);
        var index = new JsonArray();
        var declaring = new Dictionary<DatasetId, Agreement>();
        foreach (var version in versions.OrderBy(v => v.Id.Value, StringComparer.Ordinal).ThenBy(v => v.Version))
        {
            var directory = Directory.CreateDirectory(Path.Combine(folder, "agreements", version.Id.Value)).FullName;
            var name = $"v{version.Version}";
            await File.WriteAllBytesAsync(Path.Combine(directory, name + ".yaml"), version.Document.ToArray(), cancellationToken).ConfigureAwait(false);
            // The registry keeps each signature as a one-signature file, as uploaded; together they are the version's
            // signature file, which `concordat agreement verify vN.yaml` finds beside the document.
            var signatures = version.Signatures.SelectMany(s => SignatureFile.Read(s.Signature, name + SignatureFile.Suffix, out _));
            await File.WriteAllTextAsync(Path.Combine(directory, name + SignatureFile.Suffix), SignatureFile.Write(signatures), cancellationToken).ConfigureAwait(false);
            if (version.Termination is { } termination)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, name + ".termination.json"), termination, cancellationToken).ConfigureAwait(false);
            }

            index.Add(new JsonObject
            {
                ["agreement"] = version.Id.Value,
                ["version"] = version.Version,
                ["digest"] = version.Digest.ToString(),
                ["state"] = version.State.ToString().ToLowerInvariant(),
                ["uploadedAt"] = version.UploadedAt,
                ["activatedAt"] = version.ActivatedAt,
                ["terminatesAt"] = version.TerminatesAt,
                ["document"] = $"agreements/{version.Id}/{name}.yaml",
            });

            // The newest version that declares a dataset gives the types its Parquet columns are written with.
            if (AgreementReader.Read(version.Document.Span, name + ".yaml").Agreement is { } parsed)
            {
                foreach (var dataset in parsed.Datasets)
                {
                    declaring[dataset.Id] = parsed;
                }
            }
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "agreements.json"), index.ToJsonString(s_indented) + "\n", cancellationToken).ConfigureAwait(false);
        return (versions.Count, declaring);
    }

    // Security: ids, recipients, roles and times only: never a secret, nor its hash.
    private static async Task<int> ExportIdentitiesAsync(IStoreEngine engine, string folder, CancellationToken cancellationToken)
    {
        var identities = await engine.Registry.ListIdentitiesAsync(cancellationToken).ConfigureAwait(false);
        var list = new JsonArray([.. identities.OrderBy(i => i.CreatedAt).Select(i => (JsonNode)new JsonObject
        {
            ["clientId"] = i.ClientId.Value,
            ["recipient"] = i.Recipient.Value,
            ["role"] = DecisionNames.ToName(i.Role),
            ["createdAt"] = i.CreatedAt,
            ["revokedAt"] = i.RevokedAt,
        })]);
        await File.WriteAllTextAsync(Path.Combine(folder, "identities.json"), list.ToJsonString(s_indented) + "\n", cancellationToken).ConfigureAwait(false);
        return identities.Count;
    }

    // log/log-export.json: the concordat-log-export/v1 file `concordat log verify --bundle` checks offline.
    private static async Task<LogExportResult?> ExportLogAsync(IStoreEngine engine, string folder, CancellationToken cancellationToken)
    {
        if (!await engine.HasLogAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var storage = await engine.OpenLogForReadingAsync(cancellationToken).ConfigureAwait(false);
        await using (storage.ConfigureAwait(false))
        {
            Directory.CreateDirectory(Path.Combine(folder, "log"));
            var file = new FileStream(Path.Combine(folder, "log", "log-export.json"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            LogExportResult result;
            await using (file.ConfigureAwait(false))
            {
                result = await LogExport.WriteAsync(storage, file, null, cancellationToken).ConfigureAwait(false);
            }

            // The same log as C2SP tlog-tiles, for `log verify --url log/tiles` and any tiles client.
            if (result.IsValid && await storage.ReadLatestCheckpointAsync(cancellationToken).ConfigureAwait(false) is { } latest)
            {
                await LogExportCommands.WriteTilesAsync(storage, latest, Path.Combine(folder, "log", "tiles"), null, cancellationToken).ConfigureAwait(false);
            }

            return result;
        }
    }

    /// <summary>
    /// Copies the gateway's signed envelopes (<c>attestations/**/*.json</c>) exactly as kept from one folder to another:
    /// the export takes them from the workspace, the import gives them back; the log's attestation entries name each one's SHA-256.
    /// </summary>
    /// <returns>The envelopes copied.</returns>
    internal static int CopyAttestations(string from, string to)
    {
        var source = Path.Combine(from, AttestationsFolder);
        var count = 0;
        foreach (var file in Directory.Exists(source) ? [.. Directory.GetFiles(source, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : Array.Empty<string>())
        {
            var target = Path.Combine(to, AttestationsFolder, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            count++;
        }

        return count;
    }

    // datasets/ID/vN/manifest.json (its canonical JSON, whose SHA-256 is the manifest digest) and rows.parquet: every row
    // as imported, no rule applied, typed from the newest agreement version that declares the dataset.
    private static async Task<int> ExportDatasetsAsync(string workspace, Dictionary<DatasetId, Agreement> declaring, string folder, CancellationToken cancellationToken)
    {
        var store = new DatasetStore(workspace, TimeProvider.System);
        var count = 0;
        foreach (var dataset in store.ListDatasets())
        {
            foreach (var number in store.ListVersions(dataset))
            {
                var manifest = store.GetVersion(dataset, number);
                if (manifest is null)
                {
                    continue;
                }

                var directory = Directory.CreateDirectory(Path.Combine(folder, "datasets", dataset.Value, $"v{number.Number}")).FullName;
                await File.WriteAllBytesAsync(Path.Combine(directory, "manifest.json"), manifest.ToCanonicalJson(), cancellationToken).ConfigureAwait(false);
                await using (var stored = store.OpenStoredRows(manifest))
                {
                    var copy = new FileStream(Path.Combine(directory, "rows.ndjson"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                    await using (copy.ConfigureAwait(false))
                    {
                        await stored.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (declaring.TryGetValue(dataset, out var agreement) &&
                    manifest.MatchesSchemaOf(agreement.Datasets.First(d => d.Id == dataset)) &&
                    EgressPlan.TryCompile(agreement, dataset, agreement.Parties[0].Id, agreement.Purposes[0].Id, s_verbatim, [], out var plan, out _))
                {
                    using (plan)
                    {
                        await using var rows = store.OpenRows(manifest);
                        var file = new FileStream(Path.Combine(directory, "rows.parquet"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                        await using (file.ConfigureAwait(false))
                        {
                            await ParquetEgress.WriteAsync(plan, rows, file, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                count++;
            }
        }

        return count;
    }

    private static string Readme(LogExportResult? log)
    {
        var text = new StringBuilder();
        text.AppendLine("# Concordat workspace export");
        text.AppendLine();
        text.AppendLine("Written by `concordat export`: everything the workspace holds, in open formats. `concordat import --from THIS_FOLDER --workspace NEW` rebuilds a workspace from it.");
        text.AppendLine();
        text.AppendLine("| path | what | format |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine("| `agreements.json` | every agreement version: id, version, digest (SHA-256 over the RFC 8785 canonical JSON of the parsed document), state, times | JSON |");
        text.AppendLine("| `agreements/ID/vN.yaml` | the version as uploaded | YAML 1.2 (docs/formats/agreement.md) |");
        text.AppendLine("| `agreements/ID/vN.sigs.json` | its signatures: signer, agreement, version, digest, key and Ed25519 signature | `concordat-agreement-signatures/v1` (docs/formats/signatures.md) |");
        text.AppendLine("| `agreements/ID/vN.termination.json` | the signed termination record, when one was uploaded | JSON |");
        text.AppendLine("| `log/log-export.json` | the transparency log up to its latest signed checkpoint, with every checkpoint and the proofs between them | `concordat-log-export/v1` (docs/formats/log-export.md) |");
        text.AppendLine("| `log/tiles/` | the same log as a static tiled log: `checkpoint`, `tile/…` | C2SP tlog-tiles and signed-note (docs/formats/tiles.md) |");
        text.AppendLine("| `datasets/ID/vN/manifest.json` | the version's manifest; its SHA-256 is the manifest digest the log names | RFC 8785 JSON (docs/formats/datasets.md) |");
        text.AppendLine("| `datasets/ID/vN/rows.ndjson` | the rows exactly as stored; their SHA-256 is the manifest's `rowsSha256` | NDJSON, one JSON array per row |");
        text.AppendLine("| `datasets/ID/vN/rows.parquet` | every row as imported, no rule applied, typed as the newest agreement declaring the dataset says (absent when no agreement declares it, or its schema differs) | Parquet (docs/api.md, type mapping) |");
        text.AppendLine("| `attestations/dataset-versions/ID/N.json`, `attestations/egress/RECIPIENT/ID.json` | the gateway's signed attestations, exactly as served; the log's `gateway.attestation/v1` entries name each envelope's SHA-256 | DSSE envelopes of in-toto Statement v1 (docs/formats/attestations.md) |");
        text.AppendLine("| `identities.json` | service identities: client id, recipient, role, times; never a secret | JSON |");
        text.AppendLine();
        text.AppendLine("## Verifying each part");
        text.AppendLine();
        text.AppendLine("Obtain the keys from their owners, not from this folder: the log's verifier key (`LOG.pub`, a C2SP signed-note verifier key), each signer's agreement key, and the attestation key (the provider's, or the log key).");
        text.AppendLine();
        text.AppendLine("- **Log, with Concordat**: `concordat log verify --bundle log/log-export.json --log-key LOG.pub`, and through the tiles `concordat log verify --url log/tiles --log-key LOG.pub --full`.");
        text.AppendLine("- **Log, without Concordat**: `log/tiles` is a C2SP tlog-tiles log: serve the folder with any web server and point a tiles client at it (for example `golang.org/x/mod/sumdb/tlog` with `golang.org/x/mod/sumdb/note` to check `checkpoint` against `LOG.pub`, or any C2SP tlog-tiles verifier). Each entry's leaf hash is SHA-256(0x00 || entry bytes) (RFC 9162); the entry bytes are in `log/tiles/tile/entries/…` and, base64, in `log/log-export.json`.");
        text.AppendLine("- **Agreements**: `concordat agreement verify agreements/ID/vN.yaml --trusted-keys KEYS`; without Concordat, each signature is Ed25519 (RFC 8032) over the text docs/formats/signatures.md names, which holds the version's `digest` from `agreements.json`.");
        text.AppendLine("- **Datasets**: `sha256sum datasets/ID/vN/rows.ndjson` equals the manifest's `rowsSha256`; `sha256sum datasets/ID/vN/manifest.json` is the manifest digest that the log's `gateway.dataset-import/v1` entry names. DuckDB (`SELECT * FROM 'datasets/ID/vN/rows.parquet'`) or pyarrow read the Parquet files.");
        text.AppendLine("- **Attestations**: each is a DSSE envelope (`payloadType`, `payload`, `signatures`): base64-decode `payload` for the in-toto statement, check the Ed25519 signature over the DSSE pre-authentication encoding with the attestation key (any DSSE verifier, such as `@sigstore/core` or `securesystemslib`), and `sha256sum` the envelope file: the log's `gateway.attestation/v1` entry names that digest. A dataset version's subjects are `ID@N/manifest.json` and its stored files; an egress's is the bytes the recipient received.");
        if (log is not null)
        {
            text.AppendLine();
            text.AppendLine($"The log exported has {log.TreeSize} entries; its root hash is `{log.RootHash}`.");
        }

        return text.ToString();
    }
}
