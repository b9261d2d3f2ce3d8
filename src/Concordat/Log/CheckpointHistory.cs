using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Notes;

namespace Concordat.Log;

/// <summary>
/// The signed record of a log's checkpoint history: how many checkpoints it holds, the tree size of the latest, and a
/// hash chain over every checkpoint note in order of tree size. The log signs a new record with each checkpoint, so a
/// checkpoint removed from (or added to, or changed in) the stored history no longer matches the record.
/// </summary>
/// <param name="Origin">The log's origin: the name of the key that signs the record and the checkpoints.</param>
/// <param name="Count">The number of checkpoints in the history.</param>
/// <param name="LatestTreeSize">The tree size of the latest checkpoint; 0 when the history is empty.</param>
/// <param name="Chain">
/// The hash chain: 32 zero bytes for the empty history, then SHA-256(previous chain || SHA-256(note)) for each
/// checkpoint note's UTF-8 bytes, by increasing tree size.
/// </param>
/// <remarks>
/// The record is a signed note of its own, never extension lines of a checkpoint, so checkpoints stay exactly what
/// witnesses expect. Its first line, <c>ORIGIN checkpoint-history/v1</c>, holds a space, which no Concordat origin
/// holds, so a record can never be read as a checkpoint.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/checkpoint-history.md
public sealed record CheckpointHistory(string Origin, long Count, long LatestTreeSize, Sha256Digest Chain)
{
    /// <summary>The word after the origin on the first line, naming the format and its version.</summary>
    public const string FormatName = "checkpoint-history/v1";

    /// <summary>Starts the record of an empty history.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <returns>A record of no checkpoints.</returns>
    public static CheckpointHistory Empty(string origin) => new(origin, 0, 0, Sha256Digest.FromBytes(new byte[32]));

    /// <summary>Extends the record by one checkpoint, which MUST be larger than the latest.</summary>
    /// <param name="checkpoint">The checkpoint added to the history.</param>
    /// <returns>The record of the history with the checkpoint added.</returns>
    public CheckpointHistory Add(StoredCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Span<byte> link = stackalloc byte[64];
        Chain.ToBytes().CopyTo(link);
        SHA256.HashData(Encoding.UTF8.GetBytes(checkpoint.Note), link[32..]);
        return this with { Count = Count + 1, LatestTreeSize = checkpoint.TreeSize, Chain = Sha256Digest.Compute(link) };
    }

    /// <summary>Writes the note text of the record: four lines, each ending in a newline.</summary>
    /// <returns><c>ORIGIN checkpoint-history/v1</c>, the count, the latest tree size, the chain as <c>sha256:HEX</c>.</returns>
    public string ToNoteText() =>
        string.Create(CultureInfo.InvariantCulture, $"{Origin} {FormatName}\n{Count}\n{LatestTreeSize}\n{Chain}\n");

    /// <summary>Signs the record with the log key.</summary>
    /// <param name="key">The log key; its name MUST be <see cref="Origin"/>.</param>
    /// <returns>The signed note, as stored.</returns>
    public string Sign(NoteSignerKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SignedNote.Sign(ToNoteText(), NoteSigner.ForEd25519(key)).ToString();
    }

    /// <summary>Opens a signed record with the log's verifier key.</summary>
    /// <param name="note">The signed note, as stored.</param>
    /// <param name="key">The log's verifier key; the record's origin MUST be its name.</param>
    /// <param name="history">The record, when it verifies and is well formed.</param>
    /// <param name="error">Why not, when it does not.</param>
    /// <returns><see langword="true"/> when the note is a record signed by the key.</returns>
    public static bool TryOpen(string note, NoteVerifierKey key, [NotNullWhen(true)] out CheckpointHistory? history, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(key);
        history = null;
        var verification = SignedNote.Open(Encoding.UTF8.GetBytes(note), [NoteVerifier.ForEd25519(key)]);
        if (!verification.IsVerified)
        {
            error = $"the checkpoint history record does not verify with the log key: {verification.Reason}";
            return false;
        }

        if (!TryParse(verification.Note!.Text, out history, out error))
        {
            return false;
        }

        if (history.Origin != key.Name)
        {
            error = $"the checkpoint history record is for origin `{history.Origin}`, not `{key.Name}`";
            history = null;
            return false;
        }

        return true;
    }

    /// <summary>Parses a record's note text, strictly.</summary>
    /// <param name="text">The note text.</param>
    /// <param name="history">The record, when well formed.</param>
    /// <param name="error">Why not, when it is not.</param>
    /// <returns><see langword="true"/> when the text is a well-formed record.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CheckpointHistory? history, [NotNullWhen(false)] out string? error)
    {
        history = null;
        var lines = text is not null && text.EndsWith('\n') ? text[..^1].Split('\n') : [];
        var first = lines.Length == 4 ? lines[0].Split(' ') : [];
        if (first.Length != 2 || first[1] != FormatName || !NoteKey.IsValidName(first[0]))
        {
            error = $"a checkpoint history record has four lines, the first `ORIGIN {FormatName}`";
            return false;
        }

        if (!TryParseSize(lines[1], out var count) || !TryParseSize(lines[2], out var latest) || !Sha256Digest.TryParse(lines[3], out var chain) || lines[3] != chain.ToString())
        {
            error = "a checkpoint history record holds a count, a tree size (decimal, no leading zeros) and a chain `sha256:HEX`";
            return false;
        }

        history = new CheckpointHistory(first[0], count, latest, chain);
        error = null;
        return true;
    }

    private static bool TryParseSize(string line, out long value) =>
        long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out value) && line == value.ToString(CultureInfo.InvariantCulture);
}
