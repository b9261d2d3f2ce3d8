using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// Writes a log export: one file that carries a stored log's entries up to its latest signed checkpoint, every signed
/// checkpoint with the consistency proof from the one before, and the signed record of the checkpoint history, so that
/// it can be verified offline (<see cref="LogExportVerifier"/>) and read by every later offline tool.
/// </summary>
/// <remarks>
/// The format, <c>concordat-log-export/v1</c>, is newline-delimited JSON, one object per line; see
/// docs/formats/log-export.md. Writing only reads the storage; memory is flat in the size of the log.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/log-export.md
public static class LogExport
{
    /// <summary>The value of the header's <c>format</c> member.</summary>
    public const string FormatName = "concordat-log-export/v1";

    /// <summary>Writes the export of <paramref name="storage"/> to <paramref name="output"/>.</summary>
    /// <param name="storage">The log's storage; read only.</param>
    /// <param name="output">Where the export is written; the caller disposes it.</param>
    /// <param name="progress">Receives the number of entries written so far, now and then; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels writing.</param>
    /// <returns>What was written, or why nothing could be (no signed checkpoint; a missing entry).</returns>
    /// <exception cref="InvalidDataException">A stored hash a consistency proof needs is missing or malformed.</exception>
    public static async Task<LogExportResult> WriteAsync(ILogStorage storage, Stream output, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(output);
        var latest = await storage.ReadLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return LogExportResult.Refused(new LogProblem(LogErrorCodes.ExportEmpty, "the log has no signed checkpoint: there is nothing signed to export", null));
        }

        var problem = LogRightEdge.Open(latest, null, out var head);
        if (problem is not null)
        {
            return LogExportResult.Refused(problem);
        }

        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new LineWriter(output, digest);
        await line.WriteAsync(
            w =>
            {
                w.WriteString("format", FormatName);
                w.WriteString("origin", head!.Origin);
                w.WriteNumber("treeSize", head.TreeSize);
                w.WriteString("rootHash", head.RootHash.ToBase64());
            },
            cancellationToken).ConfigureAwait(false);

        var source = new LogHashSource(storage);
        var checkpoints = 0L;
        var previous = 0L;
        var next = 0L;
        while (true)
        {
            var page = await storage.ReadCheckpointsAsync(next, LogRightEdge.PageSize, cancellationToken).ConfigureAwait(false);
            // A checkpoint signed while the export runs is beyond the head: the export ends at the head.
            foreach (var stored in page.Where(c => c.TreeSize <= head!.TreeSize))
            {
                // Invariant: no consistency proof starts from the empty tree (it would prove nothing), so the first
                // checkpoint, and one after the empty checkpoint, carry none.
                var proof = previous > 0
                    ? await MerkleProofs.CreateConsistencyProofAsync(source, previous, stored.TreeSize, cancellationToken).ConfigureAwait(false)
                    : [];
                await line.WriteAsync(
                    w =>
                    {
                        w.WriteString("checkpoint", stored.Note);
                        w.WriteStartArray("consistency");
                        foreach (var hash in proof)
                        {
                            w.WriteStringValue(hash.ToBase64());
                        }

                        w.WriteEndArray();
                    },
                    cancellationToken).ConfigureAwait(false);
                checkpoints++;
                previous = stored.TreeSize;
                next = stored.TreeSize + 1;
            }

            if (page.Count < LogRightEdge.PageSize)
            {
                break;
            }
        }

        var record = await storage.ReadHistoryRecordAsync(cancellationToken).ConfigureAwait(false);
        await line.WriteAsync(w => w.WriteString("history", record), cancellationToken).ConfigureAwait(false);

        for (var start = 0L; start < head!.TreeSize; start += LogRightEdge.PageSize)
        {
            var count = (int)Math.Min(LogRightEdge.PageSize, head.TreeSize - start);
            var entries = await storage.ReadEntriesAsync(start, count, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                if (i >= entries.Count || entries[i].Index != start + i)
                {
                    return LogExportResult.Refused(new LogProblem(LogErrorCodes.EntryMissing, $"entry {start + i} is missing from storage", start + i));
                }

                var (index, entry) = entries[i];
                await line.WriteAsync(
                    w =>
                    {
                        w.WriteNumber("index", index);
                        w.WriteBase64String("entry", entry);
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(start + count);
        }

        var sha256 = Convert.ToHexStringLower(digest.GetHashAndReset());
        await line.WriteAsync(
            w =>
            {
                w.WriteStartObject("end");
                w.WriteNumber("entries", head.TreeSize);
                w.WriteNumber("checkpoints", checkpoints);
                w.WriteString("sha256", sha256);
                w.WriteEndObject();
            },
            cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new LogExportResult(head.Origin, head.TreeSize, head.RootHash, checkpoints, record is not null, null);
    }

    /// <summary>Writes one JSON object per line and feeds every byte but the last line's to the digest.</summary>
    private sealed class LineWriter(Stream output, IncrementalHash digest)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);

        public async Task WriteAsync(Action<Utf8JsonWriter> members, CancellationToken cancellationToken)
        {
            _buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(_buffer))
            {
                writer.WriteStartObject();
                members(writer);
                writer.WriteEndObject();
            }

            _buffer.Write("\n"u8);
            digest.AppendData(_buffer.WrittenSpan);
            await output.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
    }
}
