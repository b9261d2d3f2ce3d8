using Concordat.Core;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// One signer's Ed25519 signature over <see cref="SignatureMessages.ForAgreement"/> of an agreement's id, version and digest.
/// </summary>
/// <param name="Signer">Who signed: a party id or an approver id.</param>
/// <param name="Agreement">The agreement id signed.</param>
/// <param name="Version">The agreement version signed.</param>
/// <param name="Digest">The agreement digest signed.</param>
/// <param name="KeyName">The name of the signing key, as in its C2SP verifier key.</param>
/// <param name="KeyId">The 32-bit C2SP key id of the signing key.</param>
/// <param name="Signature">The 64-byte Ed25519 signature, as standard base64.</param>
// CAUTION: persisted/public format; see docs/formats/signatures.md
public sealed record AgreementSignature(SignerId Signer, AgreementId Agreement, int Version, Sha256Digest Digest, string KeyName, uint KeyId, string Signature);
