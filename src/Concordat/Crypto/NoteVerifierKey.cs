namespace Concordat.Crypto;

/// <summary>
/// A named Ed25519 public key with its C2SP signed-note key ID.
/// </summary>
/// <param name="Name">The key name.</param>
/// <param name="KeyId">The 32-bit key ID.</param>
/// <param name="PublicKey">The public key.</param>
public sealed record NoteVerifierKey(string Name, uint KeyId, Ed25519PublicKey PublicKey)
{
    /// <summary>Renders the key in the <c>name+hash+base64</c> form.</summary>
    /// <returns>The verifier key text.</returns>
    public override string ToString() => NoteKey.FormatVerifierKey(Name, PublicKey);
}
