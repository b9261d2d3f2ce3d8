using System.Buffers.Binary;

namespace Concordat.Notes;

/// <summary>
/// One signature line of a C2SP signed note: <c>— &lt;name&gt; base64(key ID || signature)</c>.
/// </summary>
/// <param name="Name">The key name.</param>
/// <param name="KeyId">The 32-bit key ID (the first four bytes of the encoded signature, big-endian).</param>
/// <param name="Base64">The encoded signature exactly as written: base64 of the key ID followed by the signature bytes.</param>
// CAUTION: persisted/public format; see docs/formats/checkpoint.md
public sealed record NoteSignature(string Name, uint KeyId, string Base64)
{
    /// <summary>Builds the signature line parts from a key and the raw signature bytes.</summary>
    /// <param name="name">The key name.</param>
    /// <param name="keyId">The key ID.</param>
    /// <param name="signature">The signature bytes, without the key ID.</param>
    /// <returns>The signature.</returns>
    public static NoteSignature Create(string name, uint keyId, ReadOnlySpan<byte> signature)
    {
        var bytes = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, keyId);
        signature.CopyTo(bytes.AsSpan(4));
        return new NoteSignature(name, keyId, Convert.ToBase64String(bytes));
    }

    /// <summary>Decodes the signature bytes that follow the key ID.</summary>
    /// <returns>The signature bytes.</returns>
    public byte[] GetSignatureBytes() => Convert.FromBase64String(Base64)[4..];

    /// <summary>Renders the signature line without its final newline.</summary>
    /// <returns>The line <c>— name base64</c>.</returns>
    public override string ToString() => $"\u2014 {Name} {Base64}";
}
