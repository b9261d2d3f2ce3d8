using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Concordat.Merkle;

namespace Concordat.Notes;

/// <summary>
/// A C2SP tlog-checkpoint: the body of a signed note that commits a log to its tree at one size.
/// </summary>
/// <param name="Origin">The log's unique identity, for example <c>example.com/log42</c>; the first line.</param>
/// <param name="TreeSize">The number of leaves; the second line, decimal with no leading zeros.</param>
/// <param name="RootHash">The RFC 6962 root hash at that size; the third line, standard base64.</param>
/// <param name="Extensions">Optional non-empty extension lines (NOT RECOMMENDED by the spec).</param>
/// <remarks>
/// Spec: <see href="https://c2sp.org/tlog-checkpoint"/>. A log MUST NOT sign a checkpoint inconsistent with one it
/// signed before. Concordat limits tree sizes to <see cref="long.MaxValue"/>.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/checkpoint.md
public sealed record Checkpoint(string Origin, long TreeSize, MerkleHash RootHash, IReadOnlyList<string> Extensions)
{
    /// <summary>Initializes a checkpoint without extension lines.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="treeSize">The tree size.</param>
    /// <param name="rootHash">The root hash.</param>
    public Checkpoint(string origin, long treeSize, MerkleHash rootHash)
        : this(origin, treeSize, rootHash, [])
    {
    }

    /// <summary>Parses a checkpoint body (a note text), strictly.</summary>
    /// <param name="text">The note text, ending in a newline.</param>
    /// <param name="checkpoint">The checkpoint, when well formed.</param>
    /// <param name="error">Why the text is not a checkpoint, when it is not.</param>
    /// <returns><see langword="true"/> when the text is a well-formed checkpoint.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Checkpoint? checkpoint, [NotNullWhen(false)] out string? error)
    {
        checkpoint = null;
        if (text is null || !text.EndsWith('\n'))
        {
            error = "a checkpoint ends with a newline";
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            error = "a checkpoint has at least three lines: origin, tree size and root hash";
            return false;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                error = $"checkpoint line {i + 1} is empty";
                return false;
            }

            if (lines[i].Any(char.IsControl))
            {
                error = $"checkpoint line {i + 1} contains a control character";
                return false;
            }
        }

        if (!TryParseTreeSize(lines[1], out var treeSize, out error))
        {
            return false;
        }

        if (!StrictBase64.TryDecode(lines[2], out var root) || !MerkleHash.TryFromBytes(root, out var rootHash))
        {
            error = $"root hash `{lines[2]}` is not canonical base64 of 32 bytes";
            return false;
        }

        checkpoint = new Checkpoint(lines[0], treeSize, rootHash, lines[3..]);
        error = null;
        return true;
    }

    /// <summary>Opens a signed checkpoint: verifies the note, then parses its text as a checkpoint.</summary>
    /// <param name="signedNote">The signed note bytes.</param>
    /// <param name="verifiers">The known keys; at least one MUST have signed.</param>
    /// <param name="checkpoint">The checkpoint, when the note verified and its text is a checkpoint.</param>
    /// <param name="verification">The note verification.</param>
    /// <param name="expectedOrigin">When given, the origin the checkpoint MUST carry.</param>
    /// <returns><see langword="true"/> when the note verified and holds a well-formed checkpoint (of the expected origin).</returns>
    public static bool TryOpen(
        ReadOnlySpan<byte> signedNote,
        IEnumerable<NoteVerifier> verifiers,
        [NotNullWhen(true)] out Checkpoint? checkpoint,
        out NoteVerification verification,
        string? expectedOrigin = null)
    {
        checkpoint = null;
        verification = SignedNote.Open(signedNote, verifiers);
        if (!verification.IsVerified)
        {
            return false;
        }

        if (!TryParse(verification.Note!.Text, out var parsed, out var error))
        {
            verification = NoteVerification.Malformed($"the note is not a checkpoint: {error}");
            return false;
        }

        if (expectedOrigin is not null && !string.Equals(parsed.Origin, expectedOrigin, StringComparison.Ordinal))
        {
            verification = NoteVerification.Malformed($"the checkpoint is for origin `{parsed.Origin}`, not `{expectedOrigin}`");
            return false;
        }

        checkpoint = parsed;
        return true;
    }

    /// <summary>Renders the checkpoint body: origin, tree size, base64 root hash and extension lines, each ending in a newline.</summary>
    /// <returns>The note text to sign.</returns>
    /// <exception cref="InvalidOperationException">A field cannot be written as a checkpoint line.</exception>
    public string ToNoteText()
    {
        if (string.IsNullOrEmpty(Origin) || Origin.Any(char.IsControl))
        {
            throw new InvalidOperationException("a checkpoint origin is non-empty with no control characters");
        }

        if (TreeSize < 0)
        {
            throw new InvalidOperationException("a checkpoint tree size is not negative");
        }

        var builder = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(TreeSize.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(RootHash.ToBase64()).Append('\n');
        foreach (var extension in Extensions)
        {
            if (string.IsNullOrEmpty(extension) || extension.Any(char.IsControl))
            {
                throw new InvalidOperationException("a checkpoint extension line is non-empty with no control characters");
            }

            builder.Append(extension).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Signs the checkpoint as a signed note.</summary>
    /// <param name="signers">The log's signer (its key name SHOULD equal the origin), and any others.</param>
    /// <returns>The signed note.</returns>
    public SignedNote Sign(params IReadOnlyList<NoteSigner> signers) => SignedNote.Sign(ToNoteText(), signers);

    /// <inheritdoc/>
    public bool Equals(Checkpoint? other) =>
        other is not null && Origin == other.Origin && TreeSize == other.TreeSize && RootHash == other.RootHash && Extensions.SequenceEqual(other.Extensions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Origin, TreeSize, RootHash);

    private static bool TryParseTreeSize(string line, out long treeSize, [NotNullWhen(false)] out string? error)
    {
        treeSize = 0;

        // Spec: ASCII decimal with no leading zeroes, unless the tree is empty.
        if (!line.All(char.IsAsciiDigit) || (line.Length > 1 && line[0] == '0'))
        {
            error = $"tree size `{line}` is not a decimal number without leading zeros";
            return false;
        }

        if (!long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out treeSize))
        {
            error = $"tree size `{line}` is too large";
            return false;
        }

        error = null;
        return true;
    }
}
