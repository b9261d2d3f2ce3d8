using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Compliance;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Evidence;

/// <summary>
/// Builds an evidence pack (<c>concordat-evidence-pack/v1</c>, docs/formats/evidence-pack.md): a canonical zip of the
/// agreement's versions and signatures, the log entries of its access record proven against the log's latest signed
/// checkpoint, and a manifest of every file's SHA-256 signed as a DSSE envelope with the log key.
/// </summary>
/// <remarks>
/// Building reads the log twice, a page at a time, and never holds it: memory is flat in the size of the log (the
/// zip streams each file; only the ids of the agreement's incidents and a few proof indexes are kept).
/// </remarks>
public static class EvidencePackBuilder
{
    private const int PageSize = 4096;

    /// <summary>Builds the pack of <paramref name="request"/> from <paramref name="storage"/> into <paramref name="output"/>.</summary>
    /// <param name="storage">The log's storage; read only.</param>
    /// <param name="request">What the pack is about.</param>
    /// <param name="logKey">The operator's log key: the checkpoint's signer, which signs the manifest.</param>
    /// <param name="output">Where the zip is written; the caller disposes it, and MUST discard it when the result is not built.</param>
    /// <param name="progress">Receives the number of log entries read so far, now and then; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels building.</param>
    /// <returns>What the pack holds, or why it could not be built.</returns>
    public static async Task<EvidencePackResult> BuildAsync(
        ILogStorage storage, EvidencePackRequest request, NoteSignerKey logKey, Stream output, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(logKey);
        ArgumentNullException.ThrowIfNull(output);
        if (request.Versions.Count == 0)
        {
            return Refuse(EvidenceErrorCodes.AgreementUnknown.Error($"no version of agreement `{request.Agreement}` is given"));
        }

        var stored = await storage.ReadLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return Refuse(EvidenceErrorCodes.NoSignedCheckpoint.Error("the log has no signed checkpoint"));
        }

        if (!Checkpoint.TryOpen(Encoding.UTF8.GetBytes(stored.Note), [NoteVerifier.ForEd25519(logKey.VerifierKey)], out var checkpoint, out var opened))
        {
            return Refuse(EvidenceErrorCodes.NoSignedCheckpoint.Error($"the latest checkpoint does not verify with the log key: {opened.Reason}"));
        }

        var source = new LogHashSource(storage);
        JsonObject? previous = null;
        if (request.Previous is { } previousPack)
        {
            var (previousCheckpoint, problem) = ReadPrevious(previousPack, checkpoint);
            if (problem is not null)
            {
                return Refuse(problem);
            }

            var proof = previousCheckpoint!.TreeSize > 0
                ? await MerkleProofs.CreateConsistencyProofAsync(source, previousCheckpoint.TreeSize, checkpoint.TreeSize, cancellationToken).ConfigureAwait(false)
                : [];
            previous = new JsonObject { ["checkpoint"] = previousCheckpoint.Note, ["consistency"] = Hashes(proof) };
        }

        var read = request.Versions.OrderBy(v => v.Version)
            .Select(v => (v.Version, Result: AgreementReader.Read(v.Document.Span, EvidenceLint.FileName(request.Agreement, v.Version))))
            .ToList();
        var agreements = read.Select(r => r.Result.Agreement).OfType<Agreement>().ToList();
        var selection = new EvidenceSelection(request.Agreement, agreements, request.From, request.To);

        using var zip = new CanonicalZipWriter(output);
        foreach (var version in request.Versions.OrderBy(v => v.Version))
        {
            await zip.WriteAsync(EvidencePackLayout.AgreementFile(request.Agreement.Value, version.Version), version.Document).ConfigureAwait(false);
            await zip.WriteAsync(EvidencePackLayout.SignaturesFile(request.Agreement.Value, version.Version), Encoding.UTF8.GetBytes(version.Signatures)).ConfigureAwait(false);
        }

        var validation = new JsonObject
        {
            ["versions"] = new JsonArray([.. read.Select(r => (JsonNode)new JsonObject
            {
                ["version"] = r.Version,
                ["valid"] = r.Result.Agreement is not null,
                ["diagnostics"] = new JsonArray([.. r.Result.Diagnostics.Select(d => (JsonNode)d.ToString())]),
            })]),
        };
        await zip.WriteAsync(EvidencePackLayout.ValidationFile, CanonicalJson.Canonicalize(validation)).ConfigureAwait(false);
        var compliance = await ComplianceAsync(storage, request, read.Where(r => r.Result.Agreement is not null).MaxBy(r => r.Version).Result?.Agreement, logKey, cancellationToken).ConfigureAwait(false);
        await zip.WriteAsync(EvidencePackLayout.ComplianceFile, CanonicalJson.Canonicalize(compliance?.ToJson() ?? NoComplianceReport(request.Agreement))).ConfigureAwait(false);
        var lint = EvidenceLint.Report(read.Select(r => (r.Version, r.Result)));
        await zip.WriteAsync(EvidencePackLayout.LintFile, CanonicalJson.Canonicalize(lint)).ConfigureAwait(false);
        await zip.WriteAsync(EvidencePackLayout.LogKeyFile, Encoding.UTF8.GetBytes(logKey.VerifierKey + "\n")).ConfigureAwait(false);
        await zip.WriteAsync(EvidencePackLayout.TrustedKeysFile, Encoding.UTF8.GetBytes(request.TrustedKeys)).ConfigureAwait(false);
        await zip.WriteAsync(EvidencePackLayout.CheckpointFile, Encoding.UTF8.GetBytes(stored.Note)).ConfigureAwait(false);

        var scan = new Scan(request.InclusionProofs);
        await zip.WriteAsync(EvidencePackLayout.EntriesFile, s => ScanAsync(storage, checkpoint.TreeSize, selection, scan, s, progress, cancellationToken)).ConfigureAwait(false);
        await zip.WriteAsync(EvidencePackLayout.LeafHashesFile, s => WriteLeafHashesAsync(storage, scan.Begin, scan.End, s, cancellationToken)).ConfigureAwait(false);

        var consistency = scan.End > 0 && scan.End < checkpoint.TreeSize
            ? await MerkleProofs.CreateConsistencyProofAsync(source, scan.End, checkpoint.TreeSize, cancellationToken).ConfigureAwait(false)
            : [];
        var range = new JsonObject
        {
            ["begin"] = scan.Begin,
            ["end"] = scan.End,
            ["frontier"] = Hashes(scan.Frontier),
            ["consistency"] = Hashes(consistency),
        };
        await zip.WriteAsync(EvidencePackLayout.RangeFile, CanonicalJson.Canonicalize(range)).ConfigureAwait(false);

        var inclusion = new StringBuilder();
        foreach (var index in scan.ProofIndexes())
        {
            var proof = await MerkleProofs.CreateInclusionProofAsync(source, index, checkpoint.TreeSize, cancellationToken).ConfigureAwait(false);
            inclusion.Append(Encoding.UTF8.GetString(CanonicalJson.Canonicalize(new JsonObject { ["index"] = index, ["proof"] = Hashes(proof) }))).Append('\n');
        }

        await zip.WriteAsync(EvidencePackLayout.InclusionFile, Encoding.UTF8.GetBytes(inclusion.ToString())).ConfigureAwait(false);
        if (previous is not null)
        {
            await zip.WriteAsync(EvidencePackLayout.PreviousFile, CanonicalJson.Canonicalize(previous)).ConfigureAwait(false);
        }

        var kinds = new JsonObject();
        foreach (var (kind, count) in scan.Kinds.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            kinds[kind] = count;
        }

        var pack = new JsonObject
        {
            ["format"] = EvidencePackLayout.Format,
            ["agreement"] = request.Agreement.Value,
            ["versions"] = new JsonArray([.. request.Versions.Select(v => (JsonNode)v.Version).Order()]),
            ["from"] = request.From is { } from ? Rfc3339.Format(from) : null,
            ["to"] = request.To is { } to ? Rfc3339.Format(to) : null,
            ["builtAt"] = Rfc3339.Format(request.BuiltAt),
            ["origin"] = checkpoint.Origin,
            ["treeSize"] = checkpoint.TreeSize,
            ["rootHash"] = checkpoint.RootHash.ToBase64(),
            ["entries"] = scan.Count,
            ["kinds"] = kinds,
        };
        await zip.WriteAsync(EvidencePackLayout.PackFile, CanonicalJson.Canonicalize(pack)).ConfigureAwait(false);
        await zip.WriteAsync(EvidencePackLayout.NarrativeFile, Encoding.UTF8.GetBytes(string.Concat(scan.Report.Narrative().Select(line => line + "\n")))).ConfigureAwait(false);
        var report = scan.Report.Write(request.Agreement.Value, checkpoint.Origin, checkpoint.TreeSize, checkpoint.RootHash.ToBase64(), scan.Count, compliance, zip.Subjects.Select(s => s.Name).Append(EvidencePackLayout.ManifestFile));
        await zip.WriteAsync(EvidencePackLayout.ReportFile, Encoding.UTF8.GetBytes(report)).ConfigureAwait(false);

        var statement = new InTotoStatement(
            [.. zip.Subjects],
            EvidencePackLayout.PredicateType,
            new JsonObject
            {
                ["format"] = EvidencePackLayout.Format,
                ["agreement"] = request.Agreement.Value,
                ["origin"] = checkpoint.Origin,
                ["treeSize"] = checkpoint.TreeSize,
                ["rootHash"] = checkpoint.RootHash.ToBase64(),
            });
        var envelope = Attestation.Sign(statement, logKey);
        var files = zip.Subjects.Select(s => s.Name).Append(EvidencePackLayout.ManifestFile).ToList();
        await zip.WriteUnlistedAsync(EvidencePackLayout.ManifestFile, envelope.ToJson()).ConfigureAwait(false);
        return new EvidencePackResult(new EvidencePackSummary(request.Agreement.Value, checkpoint.TreeSize, scan.Count, scan.Begin, scan.End, files), null);
    }

    // The same report `concordat compliance check --json` prints for the newest version, at the build time, so the
    // pack says what the operator knew when it was built; the log facts verify the whole log, as that command does.
    private static async Task<ComplianceReport?> ComplianceAsync(ILogStorage storage, EvidencePackRequest request, Agreement? newest, NoteSignerKey logKey, CancellationToken cancellationToken)
    {
        if (newest is null)
        {
            return null;
        }

        var facts = await ComplianceLogFacts.ReadAsync(storage, logKey.VerifierKey, request.WitnessKeys, cancellationToken).ConfigureAwait(false);
        return ComplianceChecker.Check(newest, ComplianceChecklists.BuiltIn, request.ComplianceArtifacts, facts, request.BuiltAt);
    }

    private static JsonObject NoComplianceReport(AgreementId agreement) => new()
    {
        ["format"] = ComplianceReport.Format,
        ["agreement"] = agreement.Value,
        ["problem"] = "no version of the agreement reads as an agreement",
        ["regimes"] = new JsonArray(),
    };

    private static EvidencePackResult Refuse(Diagnostic problem) => new(null, problem);

    private static JsonArray Hashes(IEnumerable<MerkleHash> hashes) => new([.. hashes.Select(h => (JsonNode)h.ToBase64())]);

    private static (PreviousCheckpoint? Checkpoint, Diagnostic? Problem) ReadPrevious(Stream pack, Checkpoint current)
    {
        try
        {
            using var archive = new ZipArchive(pack, ZipArchiveMode.Read, leaveOpen: true);
            if (archive.GetEntry(EvidencePackLayout.CheckpointFile) is not { } entry)
            {
                return (null, EvidenceErrorCodes.PreviousUnusable.Error($"the previous pack holds no `{EvidencePackLayout.CheckpointFile}`"));
            }

            using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
            var note = reader.ReadToEnd();
            if (!SignedNote.TryParse(Encoding.UTF8.GetBytes(note), out var parsed, out var error) || !Checkpoint.TryParse(parsed.Text, out var checkpoint, out error))
            {
                return (null, EvidenceErrorCodes.PreviousUnusable.Error($"the previous pack's checkpoint is not a signed checkpoint: {error}"));
            }

            if (checkpoint.Origin != current.Origin || checkpoint.TreeSize > current.TreeSize)
            {
                return (null, EvidenceErrorCodes.PreviousUnusable.Error($"the previous pack's checkpoint is of `{checkpoint.Origin}` at size {checkpoint.TreeSize}; the log is `{current.Origin}` at size {current.TreeSize}"));
            }

            return (new PreviousCheckpoint(checkpoint.TreeSize, note), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            return (null, EvidenceErrorCodes.PreviousUnusable.Error($"the previous pack is not a readable zip: {ex.Message}"));
        }
    }

    private static async Task ScanAsync(ILogStorage storage, long treeSize, EvidenceSelection selection, Scan scan, Stream output, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var tree = new CompactMerkleTree();
        var line = new ArrayBufferWriter<byte>(4096);
        for (var start = 0L; start < treeSize; start += PageSize)
        {
            var count = (int)Math.Min(PageSize, treeSize - start);
            var page = await storage.ReadEntriesAsync(start, count, cancellationToken).ConfigureAwait(false);
            foreach (var (index, entry) in page)
            {
                // Invariant: the frontier is that of the tree before the first entry of the record, so leaves are
                // hashed only until it is found.
                if (scan.Count == 0)
                {
                    if (!selection.Includes(entry, out var firstKind))
                    {
                        tree.Append(MerkleHash.OfLeaf(entry));
                        continue;
                    }

                    scan.Begin = index;
                    scan.Frontier = [.. tree.Frontier];
                    scan.Add(index, firstKind);
                    scan.Report.Read(index, entry);
                }
                else if (selection.Includes(entry, out var kind))
                {
                    scan.Add(index, kind);
                    scan.Report.Read(index, entry);
                }
                else
                {
                    continue;
                }

                line.ResetWrittenCount();
                using (var writer = new Utf8JsonWriter(line))
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", index);
                    writer.WriteBase64String("entry", entry);
                    writer.WriteEndObject();
                }

                line.Write("\n"u8);
                await output.WriteAsync(line.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(start + count);
        }
    }

    private static async Task WriteLeafHashesAsync(ILogStorage storage, long begin, long end, Stream output, CancellationToken cancellationToken)
    {
        var buffer = new byte[Rfc6962.HashSize];
        for (var start = begin; start < end; start += PageSize)
        {
            var count = (int)Math.Min(PageSize, end - start);
            foreach (var (_, entry) in await storage.ReadEntriesAsync(start, count, cancellationToken).ConfigureAwait(false))
            {
                Rfc6962.HashLeaf(entry, buffer);
                await output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed record PreviousCheckpoint(long TreeSize, string Note);

    /// <summary>What the scan of the log found: the range, the counts, and the indexes given inclusion proofs.</summary>
    private sealed class Scan(int proofs)
    {
        private readonly List<long> _first = [];
        private readonly Queue<long> _last = new();

        public long Begin { get; set; }

        public long End { get; private set; }

        public long Count { get; private set; }

        public IReadOnlyList<MerkleHash> Frontier { get; set; } = [];

        public SortedDictionary<string, long> Kinds { get; } = new(StringComparer.Ordinal);

        public EvidenceReport Report { get; } = new();

        public void Add(long index, string kind)
        {
            Count++;
            End = index + 1;
            Kinds[kind] = Kinds.GetValueOrDefault(kind) + 1;

            // The first half of the proofs go to the first entries, the rest to the last: both ends of the period.
            if (_first.Count < (proofs + 1) / 2)
            {
                _first.Add(index);
                return;
            }

            _last.Enqueue(index);
            if (_last.Count > proofs / 2)
            {
                _last.Dequeue();
            }
        }

        public IEnumerable<long> ProofIndexes() => _first.Concat(_last);
    }
}
