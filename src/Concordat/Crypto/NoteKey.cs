using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Concordat.Crypto;

/// <summary>
/// Ed25519 keys in the C2SP signed-note text forms: verifier keys <c>name+hash+base64</c> and signer keys
/// <c>PRIVATE+KEY+name+hash+base64</c>, as Go's <c>golang.org/x/mod/sumdb/note</c> writes them.
/// </summary>
/// <remarks>
/// Spec: <see href="https://c2sp.org/signed-note"/> — the key ID is the first four bytes of
/// SHA-256(key name || 0x0A || signature type 0x01 || public key), and the encoded key is the signature type byte
/// followed by the key bytes. Concordat uses this one form for every key: log keys, party and approver keys.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/keys.md
public static class NoteKey
{
    /// <summary>The signature type byte of Ed25519 in signed notes.</summary>
    public const byte Ed25519Type = 0x01;

    /// <summary>The signature type byte of timestamped Ed25519 cosignatures (C2SP tlog-cosignature, cosignature/v1).</summary>
    public const byte CosignatureV1Type = 0x04;

    private const string PrivatePrefix = "PRIVATE+KEY+";

    /// <summary>Computes the 32-bit key ID of an Ed25519 key with the given name.</summary>
    /// <param name="name">The key name; it MUST be non-empty and contain no <c>+</c>, space or newline.</param>
    /// <param name="publicKey">The public key.</param>
    /// <returns>The key ID, the first four bytes of the hash read big-endian.</returns>
    public static uint ComputeKeyId(string name, Ed25519PublicKey publicKey) => ComputeKeyId(name, Ed25519Type, publicKey);

    /// <summary>Computes the 32-bit key ID of an Ed25519 key with the given name for a given signature type.</summary>
    /// <param name="name">The key name.</param>
    /// <param name="signatureType">The signature type byte, for example <see cref="Ed25519Type"/> or <see cref="CosignatureV1Type"/>.</param>
    /// <param name="publicKey">The public key.</param>
    /// <returns>The first four bytes of SHA-256(name || 0x0A || type || key), read big-endian.</returns>
    public static uint ComputeKeyId(string name, byte signatureType, Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(publicKey);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[nameBytes.Length + 2 + Ed25519PublicKey.Size];
        nameBytes.CopyTo(buffer, 0);
        buffer[nameBytes.Length] = (byte)'\n';
        buffer[nameBytes.Length + 1] = signatureType;
        publicKey.Bytes.CopyTo(buffer.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(buffer));
    }

    /// <summary>Checks a key name as the spec requires: non-empty, no <c>+</c>, no Unicode spaces, no newline.</summary>
    /// <param name="name">The candidate name.</param>
    /// <returns><see langword="true"/> when the name is allowed.</returns>
    public static bool IsValidName([NotNullWhen(true)] string? name) =>
        !string.IsNullOrEmpty(name) && !name.Any(c => c == '+' || char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>Writes the verifier key <c>name+hash+base64(0x01 || public key)</c>.</summary>
    /// <param name="name">The key name.</param>
    /// <param name="publicKey">The public key.</param>
    /// <returns>The verifier key text.</returns>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public static string FormatVerifierKey(string name, Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"`{name}` is not a valid key name: it must be non-empty with no `+` or spaces", nameof(name));
        }

        return $"{name}+{ComputeKeyId(name, publicKey):x8}+{Encode(publicKey.Bytes)}";
    }

    /// <summary>Writes the signer key <c>PRIVATE+KEY+name+hash+base64(0x01 || seed)</c>.</summary>
    /// <param name="name">The key name.</param>
    /// <param name="privateKey">The private key.</param>
    /// <returns>The signer key text; it is a secret.</returns>
    public static string FormatSignerKey(string name, Ed25519PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        var verifier = FormatVerifierKey(name, privateKey.PublicKey);
        var hash = verifier.Split('+', 3)[1];
        return $"{PrivatePrefix}{name}+{hash}+{Encode(privateKey.ExportSeed())}";
    }

    /// <summary>Parses a verifier key; the hash MUST match the name and key.</summary>
    /// <param name="text">The verifier key text.</param>
    /// <param name="key">The parsed key, when well formed.</param>
    /// <param name="error">Why the text is not a verifier key, when it is not.</param>
    /// <returns><see langword="true"/> when the text is a well-formed Ed25519 verifier key.</returns>
    public static bool TryParseVerifierKey(string? text, [NotNullWhen(true)] out NoteVerifierKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (!TrySplit(text, out var name, out var keyId, out var payload, out error))
        {
            return false;
        }

        if (!Ed25519PublicKey.TryCreate(payload, out var publicKey) || publicKey is null)
        {
            error = "an Ed25519 verifier key holds 32 key bytes";
            return false;
        }

        if (ComputeKeyId(name, publicKey) != keyId)
        {
            error = "the key hash does not match the key name and key bytes";
            return false;
        }

        key = new NoteVerifierKey(name, keyId, publicKey);
        return true;
    }

    /// <summary>Parses a signer key; the hash MUST match the name and the derived public key.</summary>
    /// <param name="text">The signer key text.</param>
    /// <param name="key">The parsed key, when well formed.</param>
    /// <param name="error">Why the text is not a signer key, when it is not.</param>
    /// <returns><see langword="true"/> when the text is a well-formed Ed25519 signer key.</returns>
    public static bool TryParseSignerKey(string? text, [NotNullWhen(true)] out NoteSignerKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (text is null || !text.StartsWith(PrivatePrefix, StringComparison.Ordinal))
        {
            error = "a signer key starts with `PRIVATE+KEY+`";
            return false;
        }

        if (!TrySplit(text[PrivatePrefix.Length..], out var name, out var keyId, out var payload, out error))
        {
            return false;
        }

        if (payload.Length != Ed25519PrivateKey.SeedSize)
        {
            error = "an Ed25519 signer key holds a 32-byte seed";
            return false;
        }

        var privateKey = Ed25519PrivateKey.FromSeed(payload);
        if (ComputeKeyId(name, privateKey.PublicKey) != keyId)
        {
            error = "the key hash does not match the key name and key bytes";
            return false;
        }

        key = new NoteSignerKey(name, keyId, privateKey);
        return true;
    }

    private static string Encode(ReadOnlySpan<byte> keyBytes)
    {
        var encoded = new byte[keyBytes.Length + 1];
        encoded[0] = Ed25519Type;
        keyBytes.CopyTo(encoded.AsSpan(1));
        return Convert.ToBase64String(encoded);
    }

    private static bool TrySplit(string? text, out string name, out uint keyId, out byte[] payload, [NotNullWhen(false)] out string? error)
    {
        name = string.Empty;
        keyId = 0;
        payload = [];
        var parts = text?.Trim().Split('+', 3);
        if (parts is null || parts.Length != 3 || !IsValidName(parts[0]))
        {
            error = "a key has the form `name+hash+base64`";
            return false;
        }

        if (parts[1].Length != 8 || !uint.TryParse(parts[1], System.Globalization.NumberStyles.AllowHexSpecifier, null, out keyId))
        {
            error = "the key hash is 8 hex digits";
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            error = "the key bytes are not valid base64";
            return false;
        }

        if (decoded.Length == 0 || decoded[0] != Ed25519Type)
        {
            error = "only Ed25519 keys (type 0x01) are supported";
            return false;
        }

        name = parts[0];
        payload = decoded[1..];
        error = null;
        return true;
    }
}
