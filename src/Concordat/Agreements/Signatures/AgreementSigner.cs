using Concordat.Crypto;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// Signs agreements and checks their signatures against pinned keys.
/// </summary>
public static class AgreementSigner
{
    /// <summary>Signs the id, version and digest of <paramref name="agreement"/> as <paramref name="signer"/>.</summary>
    /// <param name="agreement">The agreement.</param>
    /// <param name="signer">The party or approver id to sign as; the caller checks that it is one.</param>
    /// <param name="key">The signer's private key.</param>
    /// <returns>The signature.</returns>
    public static AgreementSignature Sign(Agreement agreement, SignerId signer, NoteSignerKey key)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(key);
        var digest = AgreementDigest.Compute(agreement);
        var signature = key.PrivateKey.Sign(SignatureMessages.ForAgreement(agreement.Id, agreement.Version, digest));
        return new AgreementSignature(signer, agreement.Id, agreement.Version, digest, key.Name, key.KeyId, Convert.ToBase64String(signature));
    }

    /// <summary>Lists who must sign: every party, then every approver.</summary>
    /// <param name="agreement">The agreement.</param>
    /// <returns>The required signers.</returns>
    public static IReadOnlyList<(SignerId Signer, SignerKind Kind, IReadOnlyList<string> DocumentKeys)> RequiredSigners(Agreement agreement)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        return
        [
            .. agreement.Parties.Select(p => (new SignerId(p.Id.Value), SignerKind.Party, p.Keys)),
            .. agreement.Approvers.Select(a => (new SignerId(a.Id.Value), SignerKind.Approver, a.Keys)),
        ];
    }

    /// <summary>Checks a signature's bytes against one key.</summary>
    internal static bool IsValid(byte[] message, string signatureBase64, NoteVerifierKey key)
    {
        Span<byte> signature = stackalloc byte[Ed25519PrivateKey.SignatureSize + 3];
        return Convert.TryFromBase64String(signatureBase64, signature, out var written)
            && written == Ed25519PrivateKey.SignatureSize
            && key.PublicKey.Verify(message, signature[..written]);
    }
}
