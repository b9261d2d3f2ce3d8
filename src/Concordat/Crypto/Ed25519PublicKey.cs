using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Concordat.Crypto;

/// <summary>
/// An Ed25519 public key (RFC 8032), 32 bytes.
/// </summary>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    /// <summary>The size of a public key in bytes.</summary>
    public const int Size = 32;

    private readonly byte[] _bytes;

    private Ed25519PublicKey(byte[] bytes) => _bytes = bytes;

    /// <summary>Gets the 32 bytes of the key.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Wraps 32 public key bytes.</summary>
    /// <param name="bytes">The encoded point, exactly 32 bytes.</param>
    /// <param name="key">The key, when the bytes are a valid point.</param>
    /// <returns><see langword="true"/> when the bytes are 32 long.</returns>
    public static bool TryCreate(ReadOnlySpan<byte> bytes, out Ed25519PublicKey? key)
    {
        key = null;
        if (bytes.Length != Size)
        {
            return false;
        }

        // Security: an encoding that is not a curve point is accepted here but can never verify a signature:
        // Ed25519.Verify decodes the point and returns false when decoding fails.
        key = new Ed25519PublicKey(bytes.ToArray());
        return true;
    }

    /// <summary>Checks an Ed25519 signature over <paramref name="message"/>.</summary>
    /// <param name="message">The signed bytes.</param>
    /// <param name="signature">The 64-byte signature.</param>
    /// <returns><see langword="true"/> when the signature is valid for this key and message.</returns>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }

        return Ed25519.Verify(signature, _bytes, message);
    }

    /// <summary>Renders the key as standard base64 of its 32 bytes.</summary>
    /// <returns>The base64 text.</returns>
    public override string ToString() => Convert.ToBase64String(_bytes);

    /// <inheritdoc/>
    public bool Equals(Ed25519PublicKey? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);

    /// <inheritdoc/>
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);
}
