using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Attestations;
using Concordat.Compliance;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Evidence;

/// <summary>
/// Verifies an evidence pack offline with nothing but the pack and, preferably, the log key the operator publishes:
/// the signed manifest against every file, the checkpoint, the agreement versions' signatures, the entries against
/// the checkpoint's root, the per-entry inclusion proofs and the consistency with a previous pack.
/// </summary>
/// <remarks>
/// Verification uses only the pure library; it reports every problem it finds, each naming the file it concerns.
/// Memory is flat in the number of entries: the entries and leaf hashes are streamed from the zip.
/// </remarks>
public static class EvidencePackVerifier
{
    /// <summary>Verifies a pack.</summary>
    /// <param name="pack">The zip, seekable; left open.</param>
    /// <param name="logKey">The log key the operator publishes; <see langword="null"/> to take the pack's own (reported, since a key inside a pack vouches only for itself).</param>
    /// <param name="witnesses">Cosigners whose cosignature the checkpoint MUST carry; empty for none.</param>
    /// <param name="cancellationToken">Cancels verification.</param>
    /// <returns>What was found.</returns>
    public static Task<EvidencePackVerification> VerifyAsync(Stream pack, NoteVerifierKey? logKey, IReadOnlyList<NoteVerifier> witnesses, CancellationToken cancellationToken) =>
        VerifyAsync(pack, logKey, witnesses, null, cancellationToken);

    /// <summary>Verifies a pack, reporting how many of its log entries are verified so far.</summary>
    /// <param name="pack">The zip, seekable; left open.</param>
    /// <param name="logKey">The log key the operator publishes; <see langword="null"/> to take the pack's own (reported, since a key inside a pack vouches only for itself).</param>
    /// <param name="witnesses">Cosigners whose cosignature the checkpoint MUST carry; empty for none.</param>
    /// <param name="progress">Receives the number of entries verified so far, now and then; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels verification.</param>
    /// <returns>What was found.</returns>
    public static async Task<EvidencePackVerification> VerifyAsync(Stream pack, NoteVerifierKey? logKey, IReadOnlyList<NoteVerifier> witnesses, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pack);
        ArgumentNullException.ThrowIfNull(witnesses);
        var run = new Run(progress);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(pack, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            run.Fail(EvidenceErrorCodes.PackUnreadable.Error($"not a zip archive: {ex.Message}"));
            return run.Result(null, 0, null);
        }

        using (archive)
        {
            try
            {
                return await VerifyAsync(archive, logKey, witnesses, run, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                run.Fail(EvidenceErrorCodes.PackUnreadable.Error($"an entry of the zip cannot be read: {ex.Message}"));
                return run.Result(null, 0, null);
            }
        }
    }

    private static async Task<EvidencePackVerification> VerifyAsync(ZipArchive archive, NoteVerifierKey? pinned, IReadOnlyList<NoteVerifier> witnesses, Run run, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            if (!files.TryAdd(entry.FullName, entry))
            {
                run.Fail(EvidenceErrorCodes.PackUnreadable.Error($"two entries are named `{entry.FullName}`"));
                return run.Result(null, 0, null);
            }
        }

        var logKey = LogKey(files, pinned, run);
        if (logKey is null)
        {
            return run.Result(null, 0, null);
        }

        await CheckManifestAsync(files, logKey, run, cancellationToken).ConfigureAwait(false);

        using var packJson = ReadJson(files, EvidencePackLayout.PackFile, run);
        var pack = packJson?.RootElement;
        if (pack is { } header && (!header.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != EvidencePackLayout.Format))
        {
            run.Fail(EvidenceErrorCodes.FormatUnknown.Error($"`{EvidencePackLayout.PackFile}` names no `{EvidencePackLayout.Format}`"));
            return run.Result(null, 0, null);
        }

        var agreement = pack is { } p && p.TryGetProperty("agreement", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        var checkpoint = CheckCheckpoint(files, logKey, witnesses, run);
        var versions = CheckAgreements(files, run);
        CheckCompliance(files, agreement, run);
        CheckLint(files, agreement, run);
        if (checkpoint is null)
        {
            return run.Result(agreement, 0, null);
        }

        var enforcement = new EvidenceEnforcement(versions, run.Fail, kind => run.Count(kind));
        await CheckLogAsync(files, checkpoint, enforcement, DecisionsStated(pack), run, cancellationToken).ConfigureAwait(false);
        CheckPrevious(files, logKey, checkpoint, run);
        return run.Result(agreement, checkpoint.TreeSize, checkpoint.RootHash.ToBase64());
    }

    private static NoteVerifierKey? LogKey(Dictionary<string, ZipArchiveEntry> files, NoteVerifierKey? pinned, Run run)
    {
        NoteVerifierKey? packed = null;
        if (ReadText(files, EvidencePackLayout.LogKeyFile, run) is { } text)
        {
            if (!NoteKey.TryParseVerifierKey(text.Trim(), out packed, out var error))
            {
                run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.LogKeyFile}` is not a verifier key: {error}"));
            }
        }

        if (pinned is not null)
        {
            if (packed is not null && packed.ToString() != pinned.ToString())
            {
                run.Fail(EvidenceErrorCodes.LogKeyMismatch.Error($"the pack names log key `{packed}`; the key given is `{pinned}`"));
            }

            run.Keys.Add($"log (given): {pinned}");
            return pinned;
        }

        if (packed is not null)
        {
            run.Keys.Add($"log (from the pack, not pinned): {packed}");
        }

        return packed;
    }

    private static async Task CheckManifestAsync(Dictionary<string, ZipArchiveEntry> files, NoteVerifierKey logKey, Run run, CancellationToken cancellationToken)
    {
        if (!files.TryGetValue(EvidencePackLayout.ManifestFile, out var manifestEntry))
        {
            run.Fail(EvidenceErrorCodes.ManifestInvalid.Error($"the pack holds no `{EvidencePackLayout.ManifestFile}`"));
            return;
        }

        var envelope = await ReadBytesAsync(manifestEntry, cancellationToken).ConfigureAwait(false);
        var verification = Attestation.Verify(envelope, [DsseVerifierKey.FromNoteKey(logKey)], EvidencePackLayout.PredicateType);
        if (!verification.IsVerified)
        {
            run.Fail(EvidenceErrorCodes.ManifestInvalid.Error($"`{EvidencePackLayout.ManifestFile}`: {verification.Error!.Message}"));
            return;
        }

        var listed = new Dictionary<string, Sha256Digest?>(StringComparer.Ordinal);
        foreach (var subject in verification.Statement!.Subjects)
        {
            listed[subject.Name] = subject.Sha256;
        }

        foreach (var (name, entry) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (name == EvidencePackLayout.ManifestFile)
            {
                continue;
            }

            if (!listed.Remove(name, out var expected))
            {
                run.Fail(EvidenceErrorCodes.FileAdded.Error($"`{name}` is not named by the signed manifest"));
                continue;
            }

            var actual = await DigestAsync(entry, cancellationToken).ConfigureAwait(false);
            if (expected != actual)
            {
                run.Fail(EvidenceErrorCodes.FileChanged.Error($"`{name}` has SHA-256 `{actual.Hex}`; the signed manifest says `{expected?.Hex ?? "none"}`"));
            }
            else
            {
                run.Count("files");
            }
        }

        foreach (var name in listed.Keys.Order(StringComparer.Ordinal))
        {
            run.Fail(EvidenceErrorCodes.FileRemoved.Error($"`{name}` is named by the signed manifest but not in the pack"));
        }

        run.Count("manifestSignatures");
    }

    private static Checkpoint? CheckCheckpoint(Dictionary<string, ZipArchiveEntry> files, NoteVerifierKey logKey, IReadOnlyList<NoteVerifier> witnesses, Run run)
    {
        if (ReadText(files, EvidencePackLayout.CheckpointFile, run) is not { } note)
        {
            return null;
        }

        var logVerifier = NoteVerifier.ForEd25519(logKey);
        if (!Checkpoint.TryOpen(Encoding.UTF8.GetBytes(note), [logVerifier, .. witnesses], out var checkpoint, out var verification, logKey.Name))
        {
            run.Fail(EvidenceErrorCodes.CheckpointInvalid.Error($"`{EvidencePackLayout.CheckpointFile}`: {verification.Reason}"));
            return null;
        }

        if (!verification.VerifiedSignatures.Any(s => s.Name == logVerifier.Name && s.KeyId == logVerifier.KeyId))
        {
            run.Fail(EvidenceErrorCodes.CheckpointInvalid.Error($"`{EvidencePackLayout.CheckpointFile}` is not signed by the log key `{logKey}`"));
            return null;
        }

        foreach (var witness in witnesses)
        {
            if (!verification.VerifiedSignatures.Any(s => s.Name == witness.Name && s.KeyId == witness.KeyId))
            {
                run.Fail(EvidenceErrorCodes.CheckpointInvalid.Error($"`{EvidencePackLayout.CheckpointFile}` carries no valid cosignature by `{witness}`"));
            }
            else
            {
                run.Keys.Add($"witness (given): {witness}");
                run.Count("cosignatures");
            }
        }

        run.Count("checkpoints");
        run.Count("unverifiedNoteSignatures", verification.UnverifiedSignatures.Count);
        return checkpoint;
    }

    private static Dictionary<Sha256Digest, Agreement> CheckAgreements(Dictionary<string, ZipArchiveEntry> files, Run run)
    {
        var verified = new Dictionary<Sha256Digest, Agreement>();
        var keysText = ReadText(files, EvidencePackLayout.TrustedKeysFile, run);
        if (keysText is null)
        {
            return verified;
        }

        var trusted = TrustedKeys.Read(keysText, EvidencePackLayout.TrustedKeysFile, out var keyProblems);
        foreach (var problem in keyProblems.Where(p => p.Severity == DiagnosticSeverity.Error))
        {
            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.TrustedKeysFile}`: {problem.Message}"));
        }

        foreach (var signer in trusted.Signers.OrderBy(s => s.Value, StringComparer.Ordinal))
        {
            foreach (var key in trusted.KeysFor(signer))
            {
                run.Keys.Add($"signer `{signer}` (pinned by the operator): {key}");
            }
        }

        var versions = files.Keys
            .Where(n => n.StartsWith(EvidencePackLayout.AgreementsFolder, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var name in versions)
        {
            var signaturesName = name[..^".yaml".Length] + SignatureFile.Suffix;
            var document = ReadText(files, name, run);
            var signaturesText = ReadText(files, signaturesName, run);
            if (document is null || signaturesText is null)
            {
                continue;
            }

            var read = AgreementReader.Read(document, name);
            if (read.Agreement is null)
            {
                run.Fail(EvidenceErrorCodes.AgreementNotSigned.Error($"`{name}` does not read as an agreement: {(read.Diagnostics.Count > 0 ? read.Diagnostics[0].Message : "no diagnostic")}"));
                continue;
            }

            var signatures = SignatureFile.Read(signaturesText, signaturesName, out _);
            var verification = AgreementVerifier.Verify(read.Agreement, signatures, trusted);
            if (!verification.IsFullySigned)
            {
                var missing = string.Join(", ", verification.Missing.Select(m => $"`{m}`"));
                run.Fail(EvidenceErrorCodes.AgreementNotSigned.Error($"`{name}` (digest `{verification.Digest}`) lacks a valid signature by {missing}"));
                continue;
            }

            verified[verification.Digest] = read.Agreement;
            run.Count("agreementVersions");
            run.Count("agreementSignatures", verification.Signers.Count);
        }

        return verified;
    }

    // The compliance report is the operator's statement, signed only by the manifest: the verifier checks that it is
    // there and has its shape, so a reader can rely on what the report shows, not that each artifact is in force.
    private static void CheckCompliance(Dictionary<string, ZipArchiveEntry> files, string? agreement, Run run)
    {
        using var json = ReadJson(files, EvidencePackLayout.ComplianceFile, run);
        if (json is null)
        {
            return;
        }

        var root = json.RootElement;
        var regimes = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("regimes", out var r) && r.ValueKind == JsonValueKind.Array ? r : default;
        if (regimes.ValueKind != JsonValueKind.Array
            || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != ComplianceReport.Format
            || !root.TryGetProperty("agreement", out var named) || named.ValueKind != JsonValueKind.String || named.GetString() != agreement)
        {
            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.ComplianceFile}` is not a `{ComplianceReport.Format}` report of agreement `{agreement}` with `regimes`"));
            return;
        }

        var items = 0;
        foreach (var regime in regimes.EnumerateArray())
        {
            if (regime.ValueKind != JsonValueKind.Object || !regime.TryGetProperty("items", out var list) || list.ValueKind != JsonValueKind.Array
                || list.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.Object || !i.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String))
            {
                run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.ComplianceFile}`: a regime lacks `items`, each with a `status`"));
                return;
            }

            items += list.GetArrayLength();
        }

        run.Count("complianceReports");
        run.Count("complianceItems", items);
    }

    // The lint report is recomputed from the pack's own agreement files with the library's linter and must be exactly
    // it: a reader of the report then sees what the signed text lints to, not what the operator chose to show.
    private static void CheckLint(Dictionary<string, ZipArchiveEntry> files, string? agreement, Run run)
    {
        using var json = ReadJson(files, EvidencePackLayout.LintFile, run);
        if (json is null || agreement is null)
        {
            return;
        }

        var folder = $"{EvidencePackLayout.AgreementsFolder}{agreement}/v";
        var read = new List<(int Version, AgreementReadResult Result)>();
        foreach (var name in files.Keys.Where(n => n.StartsWith(folder, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            if (int.TryParse(name.AsSpan(folder.Length, name.Length - folder.Length - ".yaml".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && ReadText(files, name, run) is { } document)
            {
                read.Add((version, AgreementReader.Read(document, EvidenceLint.FileName(new AgreementId(agreement), version))));
            }
        }

        read.Sort((x, y) => x.Version.CompareTo(y.Version));
        var expected = EvidenceLint.Report(read);
        var given = JsonNode.Parse(json.RootElement.GetRawText());
        if (given is not JsonObject || given["versions"] is not JsonArray givenVersions)
        {
            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.LintFile}` is not an object with `versions`"));
            return;
        }

        // Packs of the landed release carry no position for data-role warnings: compared without the positions they lack.
        var unpositioned = EvidenceLint.OmitPositionsNotGiven(expected["versions"]!.AsArray(), givenVersions);
        if (!CanonicalJson.Canonicalize(given).AsSpan().SequenceEqual(CanonicalJson.Canonicalize(expected)))
        {
            var expectedVersions = expected["versions"]!.AsArray();
            var differing = Enumerable.Range(0, Math.Max(expectedVersions.Count, givenVersions.Count))
                .Where(i => i >= expectedVersions.Count || i >= givenVersions.Count || !JsonNode.DeepEquals(expectedVersions[i], givenVersions[i]))
                .Select(i => i < read.Count ? $"v{read[i].Version.ToString(CultureInfo.InvariantCulture)}" : $"entry {i.ToString(CultureInfo.InvariantCulture)}")
                .ToList();
            run.Fail(EvidenceErrorCodes.LintDiffers.Error($"`{EvidencePackLayout.LintFile}` is not what the pack's agreement versions lint to: {string.Join(", ", differing)} differ{(differing.Count == 1 ? "s" : string.Empty)}"));
            return;
        }

        run.Count("lintReports");
        run.Count("lintWarnings", expected["versions"]!.AsArray().Sum(v => v!["warnings"]!.AsArray().Count));
        if (unpositioned > 0)
        {
            run.Count("lintWarningsWithoutPositions", unpositioned);
        }
    }

    // The decisions `pack.json` says the pack carries: informative only, used to size the enforcement's table once.
    private static long DecisionsStated(JsonElement? pack) =>
        pack is { ValueKind: JsonValueKind.Object } header && header.TryGetProperty("kinds", out var kinds) && kinds.ValueKind == JsonValueKind.Object
        && kinds.TryGetProperty("gateway.decision/v1", out var decisions) && decisions.TryGetInt64(out var count) && count > 0 ? count : 0;

    private static async Task CheckLogAsync(Dictionary<string, ZipArchiveEntry> files, Checkpoint checkpoint, EvidenceEnforcement enforcement, long decisionsStated, Run run, CancellationToken cancellationToken)
    {
        using var rangeJson = ReadJson(files, EvidencePackLayout.RangeFile, run);
        if (rangeJson is null || !files.TryGetValue(EvidencePackLayout.LeafHashesFile, out var leavesEntry) || !files.TryGetValue(EvidencePackLayout.EntriesFile, out var entriesEntry))
        {
            if (rangeJson is not null)
            {
                run.Fail(EvidenceErrorCodes.EntriesNotInLog.Error($"the pack lacks `{EvidencePackLayout.LeafHashesFile}` or `{EvidencePackLayout.EntriesFile}`"));
            }

            return;
        }

        var range = rangeJson.RootElement;
        if (!TryReadRange(range, out var begin, out var end, out var frontier, out var consistency) || end > checkpoint.TreeSize || begin > end
            || frontier.Count != long.PopCount(begin))
        {
            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.RangeFile}` is not a range of the log of size {checkpoint.TreeSize}: `begin` ≤ `end` ≤ tree size, one `frontier` hash per set bit of `begin`, base64 hashes"));
            return;
        }

        if (leavesEntry.Length != (end - begin) * Rfc6962.HashSize)
        {
            run.Fail(EvidenceErrorCodes.EntriesNotInLog.Error($"`{EvidencePackLayout.LeafHashesFile}` holds {leavesEntry.Length} bytes, not the {(end - begin) * Rfc6962.HashSize} of {end - begin} leaf hashes"));
            return;
        }

        // The range's root is recomputed from the frontier of [0, begin) and every leaf hash of [begin, end), then tied
        // to the checkpoint by the consistency proof from end to its tree size.
        if (end > 0)
        {
            var tree = CompactMerkleTree.FromFrontier(begin, frontier);
            var stream = leavesEntry.Open();
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[Rfc6962.HashSize];
                for (var i = begin; i < end; i++)
                {
                    await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
                    tree.Append(MerkleHash.FromBytes(buffer));
                }
            }

            var root = tree.ComputeRoot();
            var tie = end == checkpoint.TreeSize
                ? (root == checkpoint.RootHash ? ProofVerification.Valid : null)
                : MerkleProofVerifier.VerifyConsistency(end, checkpoint.TreeSize, root, checkpoint.RootHash, consistency);
            if (tie is not { IsValid: true })
            {
                run.Fail(EvidenceErrorCodes.EntriesNotInLog.Error($"the leaf hashes of entries {begin} to {end - 1} do not recompute the checkpoint's root at size {checkpoint.TreeSize}: {tie?.Reason ?? "the roots differ"}"));
                return;
            }

            run.Count("rangeProofs");
        }

        // Security: the stated count is the operator's word; it sizes the table only up to the entries the leaf hashes
        // prove are in the range, so a false count costs at most a few bytes per leaf hash the pack itself holds.
        enforcement.Expect((int)Math.Min(Math.Min(decisionsStated, end - begin), Array.MaxLength / 2));
        var proofs = ReadInclusionProofs(files, run);
        await CheckEntriesAsync(entriesEntry, leavesEntry, begin, end, proofs, enforcement, run, cancellationToken).ConfigureAwait(false);
        foreach (var (index, proof) in proofs)
        {
            if (proof.LeafHash is not { } leaf)
            {
                run.Fail(EvidenceErrorCodes.InclusionProofInvalid.Error($"`{EvidencePackLayout.InclusionFile}`: entry {index} is not an entry of the pack"));
                continue;
            }

            var verification = MerkleProofVerifier.VerifyInclusion(leaf, index, checkpoint.TreeSize, proof.Hashes, checkpoint.RootHash);
            if (!verification.IsValid)
            {
                run.Fail(EvidenceErrorCodes.InclusionProofInvalid.Error($"`{EvidencePackLayout.InclusionFile}`: entry {index}: {verification.Reason}"));
            }
            else
            {
                run.Count("inclusionProofs");
            }
        }
    }

    private static async Task CheckEntriesAsync(
        ZipArchiveEntry entries, ZipArchiveEntry leaves, long begin, long end, Dictionary<long, InclusionProof> proofs, EvidenceEnforcement enforcement, Run run, CancellationToken cancellationToken)
    {
        var leafStream = leaves.Open();
        await using (leafStream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(entries.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
            var leafAt = begin;
            var leaf = new byte[Rfc6962.HashSize];
            var computed = new byte[Rfc6962.HashSize];
            var previous = -1L;
            var number = 0L;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                number++;
                if (!TryReadEntryLine(line, out var index, out var bytes, out var entry))
                {
                    run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.EntriesFile}` line {number}: not `{{\"index\": N, \"entry\": BASE64}}` of a canonical log entry"));
                    return;
                }

                if (index <= previous || index < begin || index >= end)
                {
                    run.Fail(EvidenceErrorCodes.EntriesNotInLog.Error($"`{EvidencePackLayout.EntriesFile}` line {number}: entry {index} is out of order or outside the proven range {begin} to {end - 1}"));
                    return;
                }

                previous = index;
                while (leafAt <= index)
                {
                    await leafStream.ReadExactlyAsync(leaf, cancellationToken).ConfigureAwait(false);
                    leafAt++;
                }

                Rfc6962.HashLeaf(bytes, computed);
                if (!computed.AsSpan().SequenceEqual(leaf))
                {
                    run.Fail(EvidenceErrorCodes.EntriesNotInLog.Error($"`{EvidencePackLayout.EntriesFile}` line {number}: entry {index} is not the entry the log holds at that index (its leaf hash differs)"));
                    continue;
                }

                if (proofs.TryGetValue(index, out var proof))
                {
                    proof.LeafHash = MerkleHash.FromBytes(computed);
                }

                run.Count("entries");
                run.Count("entries:" + entry.Type);
                enforcement.Read(index, entry);
            }
        }
    }

    private static bool TryReadEntryLine(string line, out long index, out byte[] bytes, out LogEntry entry)
    {
        index = 0;
        bytes = [];
        entry = null!;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("index", out var at) || !at.TryGetInt64(out index)
                || !root.TryGetProperty("entry", out var text) || text.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            bytes = text.GetBytesFromBase64();
            if (!LogEntry.TryParse(bytes, out var parsed, out _))
            {
                return false;
            }

            entry = parsed;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return false;
        }
    }

    private static Dictionary<long, InclusionProof> ReadInclusionProofs(Dictionary<string, ZipArchiveEntry> files, Run run)
    {
        var proofs = new Dictionary<long, InclusionProof>();
        if (ReadText(files, EvidencePackLayout.InclusionFile, run) is not { } text)
        {
            return proofs;
        }

        var number = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            number++;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("index", out var at) && at.TryGetInt64(out var index) && root.TryGetProperty("proof", out var proof)
                    && TryReadHashes(proof, out var hashes) && proofs.TryAdd(index, new InclusionProof(hashes)))
                {
                    continue;
                }
            }
            catch (JsonException)
            {
            }

            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.InclusionFile}` line {number}: not `{{\"index\": N, \"proof\": [BASE64...]}}` for a new index"));
        }

        return proofs;
    }

    private static void CheckPrevious(Dictionary<string, ZipArchiveEntry> files, NoteVerifierKey logKey, Checkpoint checkpoint, Run run)
    {
        if (!files.ContainsKey(EvidencePackLayout.PreviousFile))
        {
            return;
        }

        using var previousJson = ReadJson(files, EvidencePackLayout.PreviousFile, run);
        if (previousJson is null)
        {
            return;
        }

        var root = previousJson.RootElement;
        if (!root.TryGetProperty("checkpoint", out var note) || note.ValueKind != JsonValueKind.String
            || !root.TryGetProperty("consistency", out var proof) || !TryReadHashes(proof, out var hashes))
        {
            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{EvidencePackLayout.PreviousFile}` is not `{{\"checkpoint\": NOTE, \"consistency\": [BASE64...]}}`"));
            return;
        }

        if (!Checkpoint.TryOpen(Encoding.UTF8.GetBytes(note.GetString()!), [NoteVerifier.ForEd25519(logKey)], out var older, out var verification, logKey.Name))
        {
            run.Fail(EvidenceErrorCodes.PreviousInconsistent.Error($"`{EvidencePackLayout.PreviousFile}`: the previous checkpoint does not verify: {verification.Reason}"));
            return;
        }

        var result = older.TreeSize == 0
            ? ProofVerification.Valid
            : MerkleProofVerifier.VerifyConsistency(older.TreeSize, checkpoint.TreeSize, older.RootHash, checkpoint.RootHash, hashes);
        if (!result.IsValid)
        {
            run.Fail(EvidenceErrorCodes.PreviousInconsistent.Error($"`{EvidencePackLayout.PreviousFile}`: from size {older.TreeSize} to {checkpoint.TreeSize}: {result.Reason}"));
            return;
        }

        run.Count("consistencyProofs");
    }

    private static bool TryReadRange(JsonElement range, out long begin, out long end, out List<MerkleHash> frontier, out List<MerkleHash> consistency)
    {
        begin = end = 0;
        frontier = consistency = [];
        return range.ValueKind == JsonValueKind.Object
            && range.TryGetProperty("begin", out var b) && b.TryGetInt64(out begin) && begin >= 0
            && range.TryGetProperty("end", out var e) && e.TryGetInt64(out end)
            && range.TryGetProperty("frontier", out var f) && TryReadHashes(f, out frontier)
            && range.TryGetProperty("consistency", out var c) && TryReadHashes(c, out consistency);
    }

    private static bool TryReadHashes(JsonElement array, out List<MerkleHash> hashes)
    {
        hashes = [];
        if (array.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !item.TryGetBytesFromBase64(out var bytes) || !MerkleHash.TryFromBytes(bytes, out var hash))
            {
                return false;
            }

            hashes.Add(hash);
        }

        return true;
    }

    private static string? ReadText(Dictionary<string, ZipArchiveEntry> files, string name, Run run)
    {
        if (!files.TryGetValue(name, out var entry))
        {
            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"the pack holds no `{name}`"));
            return null;
        }

        using var reader = new StreamReader(entry.Open(), new UTF8Encoding(false, true));
        try
        {
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException)
        {
            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{name}` is not UTF-8 text"));
            return null;
        }
    }

    private static JsonDocument? ReadJson(Dictionary<string, ZipArchiveEntry> files, string name, Run run)
    {
        if (ReadText(files, name, run) is not { } text)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            run.Fail(EvidenceErrorCodes.MemberMalformed.Error($"`{name}` is not JSON"));
            return null;
        }
    }

    private static async Task<byte[]> ReadBytesAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var stream = entry.Open();
        await using (stream.ConfigureAwait(false))
        {
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }

    private static async Task<Sha256Digest> DigestAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        var stream = entry.Open();
        await using (stream.ConfigureAwait(false))
        {
            return Sha256Digest.FromBytes(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private sealed class InclusionProof(List<MerkleHash> hashes)
    {
        public List<MerkleHash> Hashes { get; } = hashes;

        public MerkleHash? LeafHash { get; set; }
    }

    /// <summary>The problems, counts and keys of one verification.</summary>
    private sealed class Run(IProgress<long>? progress)
    {
        private const int ProgressEvery = 4096;

        private readonly List<Diagnostic> _problems = [];
        private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);

        public List<string> Keys { get; } = [];

        public void Fail(Diagnostic problem) => _problems.Add(problem);

        public void Count(string kind, long by = 1)
        {
            var count = _counts[kind] = _counts.GetValueOrDefault(kind) + by;
            if (progress is not null && kind == "entries" && count % ProgressEvery == 0)
            {
                progress.Report(count);
            }
        }

        public EvidencePackVerification Result(string? agreement, long treeSize, string? rootHash) =>
            new(_problems, agreement, treeSize, rootHash, _counts, Keys);
    }
}
