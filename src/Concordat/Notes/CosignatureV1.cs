using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Concordat.Crypto;

namespace Concordat.Notes;

/// <summary>
/// C2SP tlog-cosignature, Ed25519 <c>cosignature/v1</c>: a partner (cosigner) states that, at a time, the checkpoint is
/// the largest consistent tree head it has seen for the log. Cosignatures are note signatures of type 0x04.
/// </summary>
/// <remarks>
/// Spec: <see href="https://c2sp.org/tlog-cosignature"/>. The key ID is SHA-256(name || 0x0A || 0x04 || public key)[:4];
/// the signature is an 8-byte big-endian timestamp followed by the Ed25519 signature over
/// <c>cosignature/v1\ntime &lt;timestamp&gt;\n</c> and the whole checkpoint body. A cosigner key is an ordinary
/// Concordat Ed25519 key; only its key ID differs. One key MUST NOT serve two cosigners.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/checkpoint.md
public static class CosignatureV1
{
    private const int TimestampSize = 8;

    /// <summary>Makes a signer that cosigns checkpoints at <paramref name="time"/>.</summary>
    /// <param name="key">The cosigner's Ed25519 key (its name is the cosigner name).</param>
    /// <param name="time">The time of the cosignature, from the caller's clock; truncated to seconds.</param>
    /// <returns>The signer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The time is before 1970.</exception>
    public static NoteSigner CreateSigner(NoteSignerKey key, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(key);
        var timestamp = time.ToUnixTimeSeconds();
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp, nameof(time));
        var keyId = NoteKey.ComputeKeyId(key.Name, NoteKey.CosignatureV1Type, key.PrivateKey.PublicKey);
        return new NoteSigner(key.Name, keyId, text =>
        {
            var signature = key.PrivateKey.Sign(SignedMessage(timestamp, text));
            var result = new byte[TimestampSize + signature.Length];
            BinaryPrimitives.WriteUInt64BigEndian(result, (ulong)timestamp);
            signature.CopyTo(result, TimestampSize);
            return result;
        });
    }

    /// <summary>Makes a verifier for a cosigner's cosignatures.</summary>
    /// <param name="name">The cosigner name.</param>
    /// <param name="publicKey">The cosigner's Ed25519 public key.</param>
    /// <returns>The verifier.</returns>
    public static NoteVerifier CreateVerifier(string name, Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var keyId = NoteKey.ComputeKeyId(name, NoteKey.CosignatureV1Type, publicKey);
        return new NoteVerifier(name, keyId, (text, signature) =>
        {
            if (!TryReadTimestamp(signature, out var timestamp))
            {
                return false;
            }

            return publicKey.Verify(SignedMessage(timestamp, text), signature.AsSpan(TimestampSize));
        });
    }

    /// <summary>Writes a cosigner's verifier key <c>name+hash+base64(0x04 || public key)</c>.</summary>
    /// <param name="name">The cosigner name.</param>
    /// <param name="publicKey">The public key.</param>
    /// <returns>The verifier key text.</returns>
    public static string FormatVerifierKey(string name, Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var encoded = new byte[1 + Ed25519PublicKey.Size];
        encoded[0] = NoteKey.CosignatureV1Type;
        publicKey.Bytes.CopyTo(encoded.AsSpan(1));
        return $"{name}+{NoteKey.ComputeKeyId(name, NoteKey.CosignatureV1Type, publicKey):x8}+{Convert.ToBase64String(encoded)}";
    }

    /// <summary>Parses a cosigner's verifier key: <c>name+hash+base64(0x04 || key)</c>, or an ordinary Ed25519
    /// verifier key (type 0x01) of the same key, which is converted.</summary>
    /// <param name="text">The verifier key text.</param>
    /// <param name="verifier">The cosignature verifier, when the text is well formed.</param>
    /// <param name="error">Why not, when it is not.</param>
    /// <returns><see langword="true"/> when the text is a well-formed key whose hash matches.</returns>
    public static bool TryParseVerifierKey(string? text, [NotNullWhen(true)] out NoteVerifier? verifier, [NotNullWhen(false)] out string? error)
    {
        verifier = null;
        if (NoteKey.TryParseVerifierKey(text, out var plain, out error))
        {
            verifier = CreateVerifier(plain.Name, plain.PublicKey);
            return true;
        }

        var parts = text?.Trim().Split('+', 3);
        if (parts is null || parts.Length != 3 || !NoteKey.IsValidName(parts[0]) || parts[1].Length != 8
            || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId)
            || !StrictBase64.TryDecode(parts[2], out var encoded))
        {
            error = "a cosigner key has the form `name+hash+base64`";
            return false;
        }

        if (encoded.Length != 1 + Ed25519PublicKey.Size || encoded[0] != NoteKey.CosignatureV1Type
            || !Ed25519PublicKey.TryCreate(encoded.AsSpan(1), out var publicKey) || publicKey is null)
        {
            error = "a cosigner key holds type 0x04 or 0x01 and 32 Ed25519 key bytes";
            return false;
        }

        if (NoteKey.ComputeKeyId(parts[0], NoteKey.CosignatureV1Type, publicKey) != keyId)
        {
            error = "the key hash does not match the key name and key bytes";
            return false;
        }

        verifier = CreateVerifier(parts[0], publicKey);
        error = null;
        return true;
    }

    /// <summary>Reads the timestamp of a cosignature/v1 signature line.</summary>
    /// <param name="signature">The signature line.</param>
    /// <param name="time">The time the cosigner signed, when the line has the cosignature/v1 shape.</param>
    /// <returns><see langword="true"/> when the signature is 8 timestamp bytes and 64 signature bytes.</returns>
    public static bool TryGetTime(NoteSignature signature, out DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(signature);
        time = default;
        if (!StrictBase64.TryDecode(signature.Base64, out var bytes) || bytes.Length != 4 + TimestampSize + Ed25519PrivateKey.SignatureSize
            || !TryReadTimestamp(bytes.AsSpan(4), out var timestamp) || timestamp > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds(timestamp);
        return true;
    }

    private static bool TryReadTimestamp(ReadOnlySpan<byte> signature, out long timestamp)
    {
        timestamp = 0;
        if (signature.Length != TimestampSize + Ed25519PrivateKey.SignatureSize)
        {
            return false;
        }

        // Spec: the timestamp MUST NOT exceed 2^63 - 1.
        var value = BinaryPrimitives.ReadUInt64BigEndian(signature);
        if (value > long.MaxValue)
        {
            return false;
        }

        timestamp = (long)value;
        return true;
    }

    // Spec: tlog-cosignature §Ed25519 signed message — header line, timestamp line, then the whole note text.
    private static byte[] SignedMessage(long timestamp, byte[] text)
    {
        var header = Encoding.ASCII.GetBytes($"cosignature/v1\ntime {timestamp.ToString(CultureInfo.InvariantCulture)}\n");
        return [.. header, .. text];
    }
}
