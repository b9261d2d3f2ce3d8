using System.Runtime.CompilerServices;
using Concordat.Crypto;

namespace Concordat.Merkle;

/// <summary>
/// RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256.
/// </summary>
/// <remarks>
/// Spec: RFC 6962 §2.1 — a leaf hash is SHA-256(0x00 || leaf), an interior node SHA-256(0x01 || left || right),
/// and the hash of the empty tree is SHA-256 of the empty string.
/// </remarks>
public static class Rfc6962
{
    /// <summary>The size of every hash in bytes.</summary>
    public const int HashSize = 32;

    private const byte LeafPrefix = 0x00;
    private const byte NodePrefix = 0x01;

    /// <summary>Gets the root hash of the empty tree: SHA-256 of no bytes.</summary>
    public static ReadOnlySpan<byte> EmptyRoot =>
    [
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
        0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    ];

    /// <summary>Computes the leaf hash SHA-256(0x00 || <paramref name="leaf"/>) into <paramref name="destination"/>.</summary>
    /// <param name="leaf">The leaf data.</param>
    /// <param name="destination">At least 32 bytes.</param>
    public static void HashLeaf(ReadOnlySpan<byte> leaf, Span<byte> destination) =>
        OpenSslSha256.HashData(LeafPrefix, leaf, destination);

    /// <summary>Computes the leaf hash SHA-256(0x00 || <paramref name="leaf"/>).</summary>
    /// <param name="leaf">The leaf data.</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] HashLeaf(ReadOnlySpan<byte> leaf)
    {
        var result = new byte[HashSize];
        HashLeaf(leaf, result);
        return result;
    }

    /// <summary>Computes the interior node hash SHA-256(0x01 || left || right) into <paramref name="destination"/>.</summary>
    /// <param name="left">The left child's 32-byte hash.</param>
    /// <param name="right">The right child's 32-byte hash.</param>
    /// <param name="destination">At least 32 bytes; it may overlap neither input.</param>
    [SkipLocalsInit]
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        OpenSslSha256.HashData(buffer, destination);
    }

    /// <summary>Computes the interior node hash SHA-256(0x01 || left || right).</summary>
    /// <param name="left">The left child's 32-byte hash.</param>
    /// <param name="right">The right child's 32-byte hash.</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var result = new byte[HashSize];
        HashChildren(left, right, result);
        return result;
    }
}
