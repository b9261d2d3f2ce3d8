namespace Concordat.Attestations;

/// <summary>One signature of a DSSE envelope.</summary>
/// <param name="KeyId">The signer's key id (Concordat writes <c>name+hash</c>, the C2SP key id in hex); optional in DSSE.</param>
/// <param name="Signature">The signature bytes over the PAE (64 bytes for Ed25519).</param>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public sealed record DsseSignature(string? KeyId, ReadOnlyMemory<byte> Signature);
