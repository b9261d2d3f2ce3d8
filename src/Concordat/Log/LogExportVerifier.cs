using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Log;

/// <summary>
/// Verifies a log export offline, with nothing but the export and the log's verifier key: every checkpoint's signature,
/// the consistency proof between each checkpoint and the one before, the signed record of the history, every entry
/// against the root of each checkpoint, and the export's final digest.
/// </summary>
/// <remarks>
/// Verification reads the export once, from start to end; memory is flat in the number of entries (it keeps the tree
/// size and root of each checkpoint). The first problem is reported with the line it was found on.
/// </remarks>
public static class LogExportVerifier
{
    // An entry is at most 1 MiB: its base64 and its member names fit in this.
    private const int MaxLineBytes = 2 * 1024 * 1024;

    /// <summary>Verifies the export read from <paramref name="input"/>.</summary>
    /// <param name="input">The export, read from its current position to its end.</param>
    /// <param name="logKey">The log's verifier key, obtained from the operator out of band: never trust a key from the export.</param>
    /// <param name="cancellationToken">Cancels verification.</param>
    /// <returns>What the export carries, or the first problem found.</returns>
    public static async Task<LogExportResult> VerifyAsync(Stream input, NoteVerifierKey logKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(logKey);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = new LineReader(input, MaxLineBytes);
        var state = new State(logKey);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (state.IsEnded)
            {
                return state.Fail(LogErrorCodes.ExportMalformed, reader.LineNumber, "there is a line after the last line (`end`)");
            }

            var problem = line.IsComplete ? state.Read(reader.LineNumber, line.Bytes, digest) : LineProblem(reader.LineNumber, line);
            if (problem is not null)
            {
                return state.Fail(problem);
            }

            if (!state.IsEnded)
            {
                digest.AppendData(line.Bytes);
                digest.AppendData("\n"u8);
            }
        }

        return state.IsEnded ? state.Result() : state.Fail(LogErrorCodes.ExportNotVerified, reader.LineNumber, "the export ends before its last line (`end`): it was cut short");
    }

    private static LogProblem LineProblem(long number, Line line) =>
        new(LogErrorCodes.ExportMalformed, line.Bytes.Length > MaxLineBytes
            ? $"line {number}: longer than {MaxLineBytes} bytes"
            : $"line {number}: the last line does not end with a newline", null);

    /// <summary>One line read: its bytes without the newline, and whether a newline ended it.</summary>
    private readonly record struct Line(byte[] Bytes, bool IsComplete);

    /// <summary>Where in the export the reader is, and what it has checked so far.</summary>
    private sealed class State(NoteVerifierKey logKey)
    {
        private readonly NoteVerifier _verifier = NoteVerifier.ForEd25519(logKey);
        private readonly Queue<Checkpoint> _pending = new();
        private readonly CompactMerkleTree _tree = new();
        private Part _part = Part.Header;
        private Checkpoint? _head;
        private Checkpoint? _previous;
        private CheckpointHistory _history = CheckpointHistory.Empty(logKey.Name);
        private long _checkpoints;
        private bool _historySigned;

        private enum Part
        {
            Header,
            Checkpoints,
            Entries,
            Ended,
        }

        public bool IsEnded => _part == Part.Ended;

        public LogExportResult Fail(LogProblem problem) => new(_head?.Origin, _tree.Size, null, _checkpoints, false, problem);

        public LogExportResult Fail(ErrorCode code, long line, string message) => Fail(new LogProblem(code, $"line {line}: {message}", null));

        public LogExportResult Result() => new(_head!.Origin, _head.TreeSize, _head.RootHash, _checkpoints, _historySigned, null);

        public LogProblem? Read(long number, byte[] bytes, IncrementalHash digest)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes);
            }
            catch (JsonException ex)
            {
                return Malformed(number, $"not JSON: {ex.Message}");
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return Malformed(number, "not a JSON object");
                }

                try
                {
                    return _part switch
                    {
                        Part.Header => ReadHeader(number, root),
                        Part.Checkpoints when Has(root, "history") => ReadHistory(number, root),
                        Part.Checkpoints => ReadCheckpoint(number, root),
                        _ when Has(root, "end") => ReadEnd(number, root, digest),
                        _ => ReadEntry(number, root),
                    };
                }
                catch (Exception ex) when (ex is InvalidOperationException or FormatException or KeyNotFoundException)
                {
                    return Malformed(number, "a member is missing or of the wrong kind");
                }
            }
        }

        private static bool Has(JsonElement line, string name) => line.TryGetProperty(name, out _);

        private static LogProblem Malformed(long number, string message) => new(LogErrorCodes.ExportMalformed, $"line {number}: {message}", null);

        private static LogProblem NotVerified(long number, string message) => new(LogErrorCodes.ExportNotVerified, $"line {number}: {message}", null);

        // Invariant: a line has exactly the members of its kind, each once; anything else is not an export this reads.
        private static bool HasExactly(JsonElement line, params string[] names)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in line.EnumerateObject())
            {
                if (!names.Contains(member.Name, StringComparer.Ordinal) || !seen.Add(member.Name))
                {
                    return false;
                }
            }

            return seen.Count == names.Length;
        }

        private LogProblem? ReadHeader(long number, JsonElement line)
        {
            if (!HasExactly(line, "format", "origin", "treeSize", "rootHash") || line.GetProperty("format").GetString() != LogExport.FormatName)
            {
                return Malformed(number, $"the first line is not the header of a `{LogExport.FormatName}` export");
            }

            var origin = line.GetProperty("origin").GetString()!;
            if (origin != logKey.Name)
            {
                return NotVerified(number, $"the export is of the log `{origin}`, not of the log key's `{logKey.Name}`");
            }

            if (!MerkleHash.TryFromBytes(Convert.FromBase64String(line.GetProperty("rootHash").GetString()!), out var rootHash))
            {
                return Malformed(number, "`rootHash` is not 32 bytes");
            }

            _head = new Checkpoint(origin, line.GetProperty("treeSize").GetInt64(), rootHash);
            _part = Part.Checkpoints;
            return null;
        }

        private LogProblem? ReadCheckpoint(long number, JsonElement line)
        {
            if (!HasExactly(line, "checkpoint", "consistency"))
            {
                return Malformed(number, "a checkpoint line has exactly the members `checkpoint` and `consistency`");
            }

            var note = line.GetProperty("checkpoint").GetString()!;
            if (!Checkpoint.TryOpen(Encoding.UTF8.GetBytes(note), [_verifier], out var checkpoint, out var verification, logKey.Name))
            {
                return new LogProblem(LogErrorCodes.CheckpointInvalid, $"line {number}: the checkpoint does not verify with the log key: {verification.Reason}", null);
            }

            var proof = new List<MerkleHash>();
            foreach (var element in line.GetProperty("consistency").EnumerateArray())
            {
                if (!MerkleHash.TryFromBytes(Convert.FromBase64String(element.GetString()!), out var hash))
                {
                    return Malformed(number, "a consistency proof element is not 32 bytes");
                }

                proof.Add(hash);
            }

            if (_previous is { } previous)
            {
                if (checkpoint.TreeSize <= previous.TreeSize)
                {
                    return Malformed(number, $"the checkpoint at tree size {checkpoint.TreeSize} does not follow the one at {previous.TreeSize}: checkpoints come by increasing tree size");
                }

                if (previous.TreeSize > 0)
                {
                    var consistency = MerkleProofVerifier.VerifyConsistency(previous.TreeSize, checkpoint.TreeSize, previous.RootHash, checkpoint.RootHash, proof);
                    if (!consistency.IsValid)
                    {
                        return NotVerified(number, $"the consistency proof from tree size {previous.TreeSize} to {checkpoint.TreeSize} does not hold: {consistency.Reason}");
                    }
                }
            }

            if ((_previous is null || _previous.TreeSize == 0) && proof.Count > 0)
            {
                return Malformed(number, "the first checkpoint, and one after the empty tree, carry no consistency proof");
            }

            _previous = checkpoint;
            _pending.Enqueue(checkpoint);
            _history = _history.Add(new StoredCheckpoint(checkpoint.TreeSize, note));
            _checkpoints++;
            return null;
        }

        private LogProblem? ReadHistory(long number, JsonElement line)
        {
            if (!HasExactly(line, "history"))
            {
                return Malformed(number, "the history line has exactly the member `history`");
            }

            if (_previous is null || _previous.TreeSize != _head!.TreeSize || _previous.RootHash != _head.RootHash)
            {
                return NotVerified(number, $"the latest checkpoint is not the header's tree size {_head!.TreeSize} and root");
            }

            var record = line.GetProperty("history");
            if (record.ValueKind != JsonValueKind.Null)
            {
                var problem = LogVerifier.CheckHistory(record.GetString()!, logKey, _history);
                if (problem is not null)
                {
                    return problem with { Message = $"line {number}: {problem.Message}" };
                }

                _historySigned = true;
            }

            _part = Part.Entries;
            return CheckRoots(number);
        }

        private LogProblem? ReadEntry(long number, JsonElement line)
        {
            if (!HasExactly(line, "index", "entry"))
            {
                return Malformed(number, "an entry line has exactly the members `index` and `entry`");
            }

            var index = line.GetProperty("index").GetInt64();
            if (index != _tree.Size || index >= _head!.TreeSize)
            {
                return Malformed(number, $"entry {index} is not the next entry: expected {_tree.Size} of {_head!.TreeSize}");
            }

            _tree.Append(MerkleHash.OfLeaf(line.GetProperty("entry").GetBytesFromBase64()));
            return CheckRoots(number);
        }

        private LogProblem? CheckRoots(long number)
        {
            while (_pending.TryPeek(out var next) && next.TreeSize == _tree.Size)
            {
                _pending.Dequeue();
                var root = _tree.ComputeRoot();
                if (root != next.RootHash)
                {
                    return new LogProblem(
                        LogErrorCodes.LogRewritten,
                        $"line {number}: entries 0..{next.TreeSize - 1} hash to root `{root}` but the checkpoint at tree size {next.TreeSize} commits to `{next.RootHash}`: an entry was changed after it was signed",
                        null);
                }
            }

            return null;
        }

        private LogProblem? ReadEnd(long number, JsonElement line, IncrementalHash digest)
        {
            var end = line.GetProperty("end");
            if (!HasExactly(line, "end") || !HasExactly(end, "entries", "checkpoints", "sha256"))
            {
                return Malformed(number, "the last line has exactly the member `end`, with `entries`, `checkpoints` and `sha256`");
            }

            if (_tree.Size != _head!.TreeSize || end.GetProperty("entries").GetInt64() != _tree.Size || end.GetProperty("checkpoints").GetInt64() != _checkpoints)
            {
                return NotVerified(number, string.Create(CultureInfo.InvariantCulture, $"the export holds {_tree.Size} entries and {_checkpoints} checkpoints, but names {end.GetProperty("entries").GetInt64()} and {end.GetProperty("checkpoints").GetInt64()} (tree size {_head.TreeSize})"));
            }

            var computed = Convert.ToHexStringLower(digest.GetHashAndReset());
            if (end.GetProperty("sha256").GetString() != computed)
            {
                return NotVerified(number, $"the lines before the last do not hash to its `sha256`: the export was changed (sha256 `{computed}`)");
            }

            _part = Part.Ended;
            return null;
        }
    }

    /// <summary>Reads lines of bytes from a stream, each at most a given length.</summary>
    private sealed class LineReader(Stream input, int maxLineBytes)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        private bool _eof;

        public long LineNumber { get; private set; }

        public async Task<Line?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var take = (newline < 0 ? _end : newline) - _start;
                line.Write(_buffer, _start, take);
                _start += take;
                if (newline >= 0)
                {
                    _start++;
                    LineNumber++;
                    return new Line(line.ToArray(), true);
                }

                if (line.Length > maxLineBytes)
                {
                    LineNumber++;
                    return new Line(line.ToArray(), false);
                }

                if (_eof)
                {
                    if (line.Length == 0)
                    {
                        return null;
                    }

                    LineNumber++;
                    return new Line(line.ToArray(), false);
                }

                _start = 0;
                _end = await input.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                _eof = _end == 0;
            }
        }
    }
}
