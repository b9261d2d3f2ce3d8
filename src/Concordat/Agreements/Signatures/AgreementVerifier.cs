using Concordat.Core;
using Concordat.Crypto;

namespace Concordat.Agreements.Signatures;

/// <summary>
/// Checks that every party and every required approver has signed this exact agreement (id, version, digest)
/// with a key pinned outside the document.
/// </summary>
public static class AgreementVerifier
{
    /// <summary>Verifies the signatures of an agreement.</summary>
    /// <param name="agreement">The agreement.</param>
    /// <param name="signatures">The signatures found next to it.</param>
    /// <param name="trusted">The pinned keys; keys written in the document are never trusted by themselves.</param>
    /// <returns>What was found for each signer, with diagnostics.</returns>
    /// <remarks>
    /// Security: a signature counts only when it verifies against a key pinned for its signer in
    /// <paramref name="trusted"/>. A document naming another key gets a warning (AGR3104), never trust.
    /// </remarks>
    public static AgreementVerification Verify(Agreement agreement, IReadOnlyList<AgreementSignature> signatures, TrustedKeys trusted)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(signatures);
        ArgumentNullException.ThrowIfNull(trusted);
        var digest = AgreementDigest.Compute(agreement);
        var message = SignatureMessages.ForAgreement(agreement.Id, agreement.Version, digest);
        var diagnostics = new List<Diagnostic>();
        var checks = new List<SignerCheck>();
        var required = AgreementSigner.RequiredSigners(agreement);
        foreach (var (signer, kind, documentKeys) in required)
        {
            var pinned = trusted.KeysFor(signer);
            WarnAboutDocumentKeys(signer, kind, documentKeys, pinned, diagnostics);
            var problem = Check(agreement, digest, message, signer, pinned, signatures.Where(s => s.Signer == signer).ToList());
            checks.Add(new SignerCheck(signer, kind, problem is null, problem?.Message));
            if (problem is not null)
            {
                diagnostics.Add(problem with { Message = $"{Describe(kind)} `{signer}`: {problem.Message}" });
            }
        }

        foreach (var stranger in signatures.Select(s => s.Signer).Distinct().Where(s => !required.Any(r => r.Signer == s)))
        {
            diagnostics.Add(AgreementDiagnosticCodes.UnexpectedSigner.Warning($"`{stranger}` signed but is neither a party nor an approver of `{agreement.Id}`", null, "the signature is ignored; remove it from the signature file"));
        }

        return new AgreementVerification(digest, checks, diagnostics);
    }

    private static Diagnostic? Check(Agreement agreement, Sha256Digest digest, byte[] message, SignerId signer, IReadOnlyList<NoteVerifierKey> pinned, List<AgreementSignature> mine)
    {
        if (mine.Count == 0)
        {
            return Error(AgreementDiagnosticCodes.SignatureMissing, "has not signed", $"run `concordat agreement sign --as {signer} --key KEY-FILE`");
        }

        var current = mine.Where(s => s.Agreement == agreement.Id && s.Version == agreement.Version && s.Digest == digest).ToList();
        if (current.Count == 0)
        {
            var other = mine[0];
            return Error(AgreementDiagnosticCodes.SignatureForOtherDocument, $"signed `{other.Agreement}` version {other.Version} with digest `{other.Digest}`, not this document (`{digest}`)", "the document changed after signing: every signer must sign the new digest");
        }

        if (pinned.Count == 0)
        {
            return Error(AgreementDiagnosticCodes.SignerNotPinned, "has no pinned key", $"add a line `{signer} VERIFIER-KEY` to the trusted-keys file");
        }

        foreach (var signature in current)
        {
            foreach (var key in pinned.Where(k => k.Name == signature.KeyName && k.KeyId == signature.KeyId))
            {
                if (AgreementSigner.IsValid(message, signature.Signature, key))
                {
                    return null;
                }
            }
        }

        var used = SignatureFile.KeyText(current[0].KeyName, current[0].KeyId);
        return pinned.Any(k => k.Name == current[0].KeyName && k.KeyId == current[0].KeyId)
            ? Error(AgreementDiagnosticCodes.SignatureInvalid, $"signature by key `{used}` does not verify", "the signature file was altered or made with another key; sign again")
            : Error(AgreementDiagnosticCodes.SignatureInvalid, $"signed with key `{used}`, which is not the pinned key `{SignatureFile.KeyText(pinned[0].Name, pinned[0].KeyId)}`", "sign with the pinned key, or pin the new key after checking it out of band");
    }

    private static void WarnAboutDocumentKeys(SignerId signer, SignerKind kind, IReadOnlyList<string> documentKeys, IReadOnlyList<NoteVerifierKey> pinned, List<Diagnostic> diagnostics)
    {
        foreach (var text in documentKeys)
        {
            if (NoteKey.TryParseVerifierKey(text, out var key, out _) && !pinned.Contains(key))
            {
                var expected = pinned.Count == 0 ? "no key is pinned" : $"the pinned key is `{pinned[0]}`";
                diagnostics.Add(AgreementDiagnosticCodes.KeyDiffersFromPinned.Warning($"{Describe(kind)} `{signer}`: the document names key `{key.Name}+{key.KeyId:x8}` but {expected}", null, "a key written in the document vouches only for itself; check the key out of band before pinning it"));
            }
        }
    }

    private static string Describe(SignerKind kind) => kind == SignerKind.Party ? "party" : "approver";

    private static Diagnostic Error(ErrorCode code, string message, string help) => code.Error(message, null, help);
}
