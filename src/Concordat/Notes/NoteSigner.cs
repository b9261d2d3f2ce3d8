using Concordat.Crypto;

namespace Concordat.Notes;

/// <summary>
/// Something that signs note texts under a key name and key ID: an Ed25519 note key or a cosignature/v1 cosigner.
/// </summary>
public sealed class NoteSigner
{
    private readonly Func<byte[], byte[]> _sign;

    /// <summary>Initializes a signer from its name, key ID and signing function.</summary>
    /// <param name="name">The key name; it MUST be a valid note key name.</param>
    /// <param name="keyId">The key ID written before each signature.</param>
    /// <param name="sign">Signs the note text bytes and returns the signature bytes (without the key ID).</param>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public NoteSigner(string name, uint keyId, Func<byte[], byte[]> sign)
    {
        ArgumentNullException.ThrowIfNull(sign);
        if (!NoteKey.IsValidName(name))
        {
            throw new ArgumentException($"`{name}` is not a valid key name", nameof(name));
        }

        Name = name;
        KeyId = keyId;
        _sign = sign;
    }

    /// <summary>Gets the key name.</summary>
    public string Name { get; }

    /// <summary>Gets the key ID.</summary>
    public uint KeyId { get; }

    /// <summary>Makes a signer for plain Ed25519 note signatures (signature type 0x01).</summary>
    /// <param name="key">The signer key.</param>
    /// <returns>The signer.</returns>
    public static NoteSigner ForEd25519(NoteSignerKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new NoteSigner(key.Name, key.KeyId, text => key.PrivateKey.Sign(text));
    }

    /// <summary>Signs note text bytes.</summary>
    /// <param name="text">The note text, including its final newline.</param>
    /// <returns>The signature line.</returns>
    public NoteSignature Sign(byte[] text) => NoteSignature.Create(Name, KeyId, _sign(text));
}
