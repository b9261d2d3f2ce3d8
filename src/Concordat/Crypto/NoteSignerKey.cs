namespace Concordat.Crypto;

/// <summary>
/// A named Ed25519 private key with its C2SP signed-note key ID.
/// </summary>
/// <param name="Name">The key name.</param>
/// <param name="KeyId">The 32-bit key ID.</param>
/// <param name="PrivateKey">The private key; a secret.</param>
public sealed record NoteSignerKey(string Name, uint KeyId, Ed25519PrivateKey PrivateKey)
{
    /// <summary>Gets the matching verifier key.</summary>
    public NoteVerifierKey VerifierKey => new(Name, KeyId, PrivateKey.PublicKey);

    /// <summary>Returns a description that never includes the seed.</summary>
    /// <returns>The verifier key text, prefixed to say this is a signer.</returns>
    public override string ToString() => $"signer {VerifierKey}";
}
