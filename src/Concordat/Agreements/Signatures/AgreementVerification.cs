using Concordat.Core;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// The outcome of checking an agreement's signatures against pinned keys.
/// </summary>
/// <param name="Digest">The digest of the agreement that was checked.</param>
/// <param name="Signers">Every required signer (parties, then approvers) and what was found for it.</param>
/// <param name="Diagnostics">Errors for missing or bad signatures; warnings for keys that differ from the pinned ones.</param>
public sealed record AgreementVerification(Sha256Digest Digest, IReadOnlyList<SignerCheck> Signers, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether every party and every approver has a valid signature.</summary>
    public bool IsFullySigned => Signers.Count > 0 && Signers.All(s => s.HasValidSignature);

    /// <summary>Gets the signers without a valid signature.</summary>
    public IReadOnlyList<SignerId> Missing => [.. Signers.Where(s => !s.HasValidSignature).Select(s => s.Signer)];
}
