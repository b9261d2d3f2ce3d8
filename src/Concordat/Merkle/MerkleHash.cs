using System.Diagnostics.CodeAnalysis;

namespace Concordat.Merkle;

/// <summary>
/// A 32-byte RFC 6962 (SHA-256) Merkle tree hash: a leaf hash, an interior node hash or a root hash.
/// </summary>
/// <remarks>
/// The value is immutable and compares by content. <c>default(MerkleHash)</c> holds no hash; using it throws
/// <see cref="InvalidOperationException"/>.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/checkpoint.md
public readonly struct MerkleHash : IEquatable<MerkleHash>
{
    private readonly byte[]? _bytes;

    private MerkleHash(byte[] bytes) => _bytes = bytes;

    /// <summary>Gets the 32 bytes of the hash.</summary>
    /// <exception cref="InvalidOperationException">The value is <c>default</c>.</exception>
    public ReadOnlySpan<byte> Bytes => _bytes ?? throw new InvalidOperationException("the Merkle hash is empty");

    /// <summary>Gets the root hash of the empty tree, SHA-256 of no bytes.</summary>
    public static MerkleHash Empty { get; } = new(Rfc6962.EmptyRoot.ToArray());

    /// <summary>Copies 32 bytes into a new hash.</summary>
    /// <param name="bytes">Exactly 32 bytes.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
    public static MerkleHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Rfc6962.HashSize)
        {
            throw new ArgumentException("a Merkle hash is 32 bytes", nameof(bytes));
        }

        return new MerkleHash(bytes.ToArray());
    }

    /// <summary>Copies bytes into a new hash when there are exactly 32 of them.</summary>
    /// <param name="bytes">The candidate bytes.</param>
    /// <param name="hash">The hash, when the span is 32 bytes long.</param>
    /// <returns><see langword="true"/> when the span is 32 bytes long.</returns>
    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out MerkleHash hash)
    {
        hash = bytes.Length == Rfc6962.HashSize ? new MerkleHash(bytes.ToArray()) : default;
        return bytes.Length == Rfc6962.HashSize;
    }

    /// <summary>Computes the RFC 6962 leaf hash SHA-256(0x00 || <paramref name="leaf"/>).</summary>
    /// <param name="leaf">The leaf data.</param>
    /// <returns>The leaf hash.</returns>
    public static MerkleHash OfLeaf(ReadOnlySpan<byte> leaf) => new(Rfc6962.HashLeaf(leaf));

    /// <summary>Computes the RFC 6962 interior node hash SHA-256(0x01 || left || right).</summary>
    /// <param name="left">The left child.</param>
    /// <param name="right">The right child.</param>
    /// <returns>The node hash.</returns>
    public static MerkleHash OfChildren(MerkleHash left, MerkleHash right) => new(Rfc6962.HashChildren(left.Bytes, right.Bytes));

    /// <summary>Parses 64 hex digits (either case).</summary>
    /// <param name="text">The candidate text.</param>
    /// <param name="hash">The hash, when the text is 64 hex digits.</param>
    /// <returns><see langword="true"/> when the text is 64 hex digits.</returns>
    public static bool TryParseHex([NotNullWhen(true)] string? text, out MerkleHash hash)
    {
        hash = default;
        if (text is null || text.Length != 2 * Rfc6962.HashSize)
        {
            return false;
        }

        var bytes = new byte[Rfc6962.HashSize];
        if (Convert.FromHexString(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != bytes.Length)
        {
            return false;
        }

        hash = new MerkleHash(bytes);
        return true;
    }

    /// <summary>Copies the 32 bytes out.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>Renders the hash as 64 lowercase hex digits.</summary>
    /// <returns>The hex text, or an empty string for <c>default</c>.</returns>
    public override string ToString() => _bytes is null ? string.Empty : Convert.ToHexStringLower(_bytes);

    /// <summary>Renders the hash as standard base64, as checkpoints carry it.</summary>
    /// <returns>The base64 text.</returns>
    public string ToBase64() => Convert.ToBase64String(Bytes);

    /// <inheritdoc/>
    public bool Equals(MerkleHash other) =>
        _bytes is null ? other._bytes is null : other._bytes is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MerkleHash other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _bytes is null ? 0 : BitConverter.ToInt32(_bytes, 0);

    /// <summary>Compares two hashes by content.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns><see langword="true"/> when both hold the same bytes.</returns>
    public static bool operator ==(MerkleHash left, MerkleHash right) => left.Equals(right);

    /// <summary>Compares two hashes by content.</summary>
    /// <param name="left">The first hash.</param>
    /// <param name="right">The second hash.</param>
    /// <returns><see langword="true"/> when the hashes differ.</returns>
    public static bool operator !=(MerkleHash left, MerkleHash right) => !left.Equals(right);
}
