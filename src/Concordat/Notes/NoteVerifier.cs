using Concordat.Crypto;

namespace Concordat.Notes;

/// <summary>
/// Something that checks note signatures made under one key name and key ID.
/// </summary>
public sealed class NoteVerifier
{
    private readonly Func<byte[], byte[], bool> _verify;

    /// <summary>Initializes a verifier from its name, key ID and verification function.</summary>
    /// <param name="name">The key name.</param>
    /// <param name="keyId">The key ID.</param>
    /// <param name="verify">Checks signature bytes (without the key ID) over note text bytes.</param>
    /// <exception cref="ArgumentException">The name is not a valid key name.</exception>
    public NoteVerifier(string name, uint keyId, Func<byte[], byte[], bool> verify)
    {
        ArgumentNullException.ThrowIfNull(verify);
        if (!NoteKey.IsValidName(name))
        {
            throw new ArgumentException($"`{name}` is not a valid key name", nameof(name));
        }

        Name = name;
        KeyId = keyId;
        _verify = verify;
    }

    /// <summary>Gets the key name.</summary>
    public string Name { get; }

    /// <summary>Gets the key ID.</summary>
    public uint KeyId { get; }

    /// <summary>Makes a verifier for plain Ed25519 note signatures (signature type 0x01).</summary>
    /// <param name="key">The verifier key.</param>
    /// <returns>The verifier.</returns>
    public static NoteVerifier ForEd25519(NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new NoteVerifier(key.Name, key.KeyId, (text, signature) => key.PublicKey.Verify(text, signature));
    }

    /// <summary>Checks signature bytes over note text bytes.</summary>
    /// <param name="text">The note text bytes.</param>
    /// <param name="signature">The signature bytes, without the key ID.</param>
    /// <returns><see langword="true"/> when the signature is valid.</returns>
    public bool Verify(byte[] text, byte[] signature) => _verify(text, signature);

    /// <summary>Renders the verifier as <c>name+keyid</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Name}+{KeyId:x8}";
}
