using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Concordat.Crypto;

/// <summary>
/// An Ed25519 private key (RFC 8032), held as its 32-byte seed.
/// </summary>
/// <remarks>
/// Security: the seed MUST NOT be logged or written anywhere but a key file readable by its owner only.
/// <see cref="ToString"/> never reveals it.
/// </remarks>
public sealed class Ed25519PrivateKey
{
    /// <summary>The size of a seed in bytes.</summary>
    public const int SeedSize = 32;

    /// <summary>The size of a signature in bytes.</summary>
    public const int SignatureSize = 64;

    private readonly byte[] _seed;

    private Ed25519PrivateKey(byte[] seed)
    {
        _seed = seed;
        var publicBytes = new byte[Ed25519PublicKey.Size];
        Ed25519.GeneratePublicKey(_seed, publicBytes);
        Ed25519PublicKey.TryCreate(publicBytes, out var publicKey);
        PublicKey = publicKey ?? throw new InvalidOperationException("the public key derived from a seed is always a valid point");
    }

    /// <summary>Gets the public half of the key.</summary>
    public Ed25519PublicKey PublicKey { get; }

    /// <summary>Makes a new key from the operating system's cryptographic random source.</summary>
    /// <returns>A new key.</returns>
    public static Ed25519PrivateKey Generate() => new(RandomNumberGenerator.GetBytes(SeedSize));

    /// <summary>Makes the key whose seed is <paramref name="seed"/>.</summary>
    /// <param name="seed">Exactly 32 bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The seed is not 32 bytes long.</exception>
    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException("an Ed25519 seed is 32 bytes", nameof(seed));
        }

        return new Ed25519PrivateKey(seed.ToArray());
    }

    /// <summary>Copies the seed out, for writing a key file.</summary>
    /// <returns>A new array holding the 32-byte seed.</returns>
    public byte[] ExportSeed() => (byte[])_seed.Clone();

    /// <summary>Signs <paramref name="message"/> (pure Ed25519, no pre-hash).</summary>
    /// <param name="message">The bytes to sign.</param>
    /// <returns>The 64-byte signature.</returns>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[SignatureSize];
        Ed25519.Sign(_seed, message, signature);
        return signature;
    }

    /// <summary>Returns a description that never includes the seed.</summary>
    /// <returns>The text <c>Ed25519PrivateKey(public=&lt;base64&gt;)</c>.</returns>
    public override string ToString() => $"Ed25519PrivateKey(public={PublicKey})";
}
