using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Concordat.Merkle;
using Concordat.Notes;

namespace Concordat.Witness;

/// <summary>
/// The body of a C2SP tlog-witness <c>add-checkpoint</c> request: the old size line, the consistency proof lines, an
/// empty line, then the signed checkpoint.
/// </summary>
/// <remarks>
/// Spec: <see href="https://c2sp.org/tlog-witness#add-checkpoint"/>. The old size is decimal with no leading zeros; each
/// proof line is one standard base64 hash; a client MUST NOT send more than <see cref="MaxProofLines"/> of them.
/// </remarks>
// CAUTION: public format (the tlog-witness wire format); see docs/formats/witness.md
public sealed class AddCheckpointRequest
{
    /// <summary>The most consistency proof lines a request may carry.</summary>
    public const int MaxProofLines = 63;

    private const string OldPrefix = "old ";

    /// <summary>Initializes a request.</summary>
    /// <param name="oldSize">The tree size of the checkpoint the witness cosigned last (0 when none).</param>
    /// <param name="consistencyProof">The RFC 6962 consistency proof from the old size to the checkpoint's.</param>
    /// <param name="signedCheckpoint">The signed checkpoint note, as the log signed it.</param>
    public AddCheckpointRequest(long oldSize, IReadOnlyList<MerkleHash> consistencyProof, ReadOnlyMemory<byte> signedCheckpoint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(oldSize);
        ArgumentNullException.ThrowIfNull(consistencyProof);
        OldSize = oldSize;
        ConsistencyProof = consistencyProof;
        SignedCheckpoint = signedCheckpoint;
    }

    /// <summary>Gets the old size.</summary>
    public long OldSize { get; }

    /// <summary>Gets the consistency proof.</summary>
    public IReadOnlyList<MerkleHash> ConsistencyProof { get; }

    /// <summary>Gets the signed checkpoint note bytes.</summary>
    public ReadOnlyMemory<byte> SignedCheckpoint { get; }

    /// <summary>Parses a request body, strictly.</summary>
    /// <param name="body">The body bytes.</param>
    /// <param name="request">The request, when well formed.</param>
    /// <param name="error">Why not, when it is not.</param>
    /// <returns><see langword="true"/> when the body is a well-formed request.</returns>
    public static bool TryParse(ReadOnlyMemory<byte> body, [NotNullWhen(true)] out AddCheckpointRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        var span = body.Span;
        var end = span.IndexOf((byte)'\n');
        if (end < 0 || !TryParseOldLine(span[..end], out var oldSize))
        {
            error = "the first line is not `old <size>` in decimal without leading zeros";
            return false;
        }

        var proof = new List<MerkleHash>();
        var start = end + 1;
        while (true)
        {
            var length = span[start..].IndexOf((byte)'\n');
            if (length < 0)
            {
                error = "the proof lines do not end with an empty line before the checkpoint";
                return false;
            }

            if (length == 0)
            {
                start++;
                break;
            }

            if (proof.Count == MaxProofLines)
            {
                error = $"more than {MaxProofLines} consistency proof lines";
                return false;
            }

            if (!TryParseHash(span.Slice(start, length), out var hash))
            {
                error = $"proof line {proof.Count + 1} is not one base64 hash of 32 bytes";
                return false;
            }

            proof.Add(hash);
            start += length + 1;
        }

        if (start == span.Length)
        {
            error = "no checkpoint follows the empty line";
            return false;
        }

        request = new AddCheckpointRequest(oldSize, proof, body[start..]);
        error = null;
        return true;
    }

    /// <summary>Writes the request body.</summary>
    /// <returns>The body bytes.</returns>
    public byte[] ToBytes()
    {
        var head = new StringBuilder().Append(OldPrefix).Append(OldSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in ConsistencyProof)
        {
            head.Append(hash.ToBase64()).Append('\n');
        }

        head.Append('\n');
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. SignedCheckpoint.Span];
    }

    private static bool TryParseOldLine(ReadOnlySpan<byte> line, out long oldSize)
    {
        oldSize = 0;
        if (!line.StartsWith("old "u8))
        {
            return false;
        }

        // Spec: decimal with no leading zeroes (unless the size is zero).
        var digits = line[OldPrefix.Length..];
        if (digits.IsEmpty || (digits.Length > 1 && digits[0] == (byte)'0') || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }

        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out oldSize);
    }

    private static bool TryParseHash(ReadOnlySpan<byte> line, out MerkleHash hash)
    {
        hash = default;
        if (line.ContainsAnyExceptInRange((byte)0x21, (byte)0x7e))
        {
            return false;
        }

        return StrictBase64.TryDecode(Encoding.ASCII.GetString(line), out var bytes) && MerkleHash.TryFromBytes(bytes, out hash);
    }
}
