using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Concordat.Core;

/// <summary>
/// A SHA-256 digest, written <c>sha256:&lt;64 lowercase hex digits&gt;</c>.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/canonical-json.md
public readonly record struct Sha256Digest
{
    private const string Prefix = "sha256:";
    private readonly string? _hex;

    private Sha256Digest(string hex) => _hex = hex;

    /// <summary>Gets the 64 lowercase hex digits of the digest.</summary>
    public string Hex => _hex ?? throw new InvalidOperationException("the digest is empty");

    /// <summary>Computes the SHA-256 digest of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The bytes to hash.</param>
    /// <returns>The digest.</returns>
    public static Sha256Digest Compute(ReadOnlySpan<byte> bytes) => FromBytes(SHA256.HashData(bytes));

    /// <summary>Wraps 32 raw digest bytes.</summary>
    /// <param name="digest">Exactly 32 bytes.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
    public static Sha256Digest FromBytes(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("a SHA-256 digest is 32 bytes", nameof(digest));
        }

        return new Sha256Digest(Convert.ToHexStringLower(digest));
    }

    /// <summary>Returns the 32 raw digest bytes.</summary>
    /// <returns>A new array of 32 bytes.</returns>
    public byte[] ToBytes() => Convert.FromHexString(Hex);

    /// <summary>Parses <c>sha256:&lt;hex&gt;</c>; the hex MUST be 64 lowercase digits.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="digest">The digest, when the text is well formed.</param>
    /// <returns><see langword="true"/> when the text is a well-formed digest.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out Sha256Digest digest)
    {
        digest = default;
        if (text is null || text.Length != Prefix.Length + 64 || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in text.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        digest = new Sha256Digest(text[Prefix.Length..]);
        return true;
    }

    /// <summary>Parses <c>sha256:&lt;hex&gt;</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The digest.</returns>
    /// <exception cref="FormatException">The text is not a well-formed digest.</exception>
    public static Sha256Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"`{text}` is not a digest of the form sha256:<64 lowercase hex digits>");

    /// <summary>Renders the digest as <c>sha256:&lt;hex&gt;</c>.</summary>
    /// <returns>The rendered digest.</returns>
    public override string ToString() => Prefix + Hex;
}
