namespace Concordat.Agreements.Signatures;

/// <summary>
/// One party's signature on a termination record.
/// </summary>
/// <param name="Signer">The party id.</param>
/// <param name="KeyName">The name of the signing key.</param>
/// <param name="KeyId">The 32-bit C2SP key id of the signing key.</param>
/// <param name="Signature">The 64-byte Ed25519 signature, as standard base64.</param>
// CAUTION: persisted/public format; see docs/formats/signatures.md#termination
public sealed record TerminationSignature(SignerId Signer, string KeyName, uint KeyId, string Signature);
