using Concordat.Core;
using Concordat.Crypto;

namespace Concordat.Attestations;

/// <summary>
/// The one code path that signs and verifies every kind of attestation: an in-toto Statement v1 in a DSSE envelope,
/// signed with Ed25519.
/// </summary>
public static class Attestation
{
    /// <summary>Names a key as envelopes do: <c>name+hash</c>, the C2SP signed-note key name and key id in hex.</summary>
    /// <param name="key">The verifier key.</param>
    /// <returns>The key id, such as <c>gateway+1a2b3c4d</c>.</returns>
    public static string KeyIdOf(NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return $"{key.Name}+{key.KeyId:x8}";
    }

    /// <summary>Signs a statement.</summary>
    /// <param name="statement">The statement.</param>
    /// <param name="key">The signer's key.</param>
    /// <returns>The envelope: payload type <c>application/vnd.in-toto+json</c>, the canonical statement, one signature with its key id.</returns>
    public static DsseEnvelope Sign(InTotoStatement statement, NoteSignerKey key)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(key);
        var payload = statement.ToPayload();
        var signature = key.PrivateKey.Sign(DssePae.Encode(InTotoStatement.PayloadType, payload));
        return new DsseEnvelope(InTotoStatement.PayloadType, payload, [new DsseSignature(KeyIdOf(key.VerifierKey), signature)]);
    }

    /// <summary>Verifies an envelope's JSON form against trusted keys.</summary>
    /// <param name="utf8Json">The envelope as written.</param>
    /// <param name="trusted">The keys to trust.</param>
    /// <param name="predicateType">The predicate type the caller expects; <see langword="null"/> for any.</param>
    /// <returns>The statement and signing key, or one error.</returns>
    public static AttestationVerification Verify(ReadOnlySpan<byte> utf8Json, IReadOnlyCollection<DsseVerifierKey> trusted, string? predicateType = null) =>
        DsseEnvelope.TryParse(utf8Json, out var envelope, out var error)
            ? Verify(envelope, trusted, predicateType)
            : new AttestationVerification(null, null, error);

    /// <summary>Verifies an envelope against trusted keys: payload type, key, signature, statement, predicate type.</summary>
    /// <param name="envelope">The envelope.</param>
    /// <param name="trusted">The keys to trust.</param>
    /// <param name="predicateType">The predicate type the caller expects; <see langword="null"/> for any.</param>
    /// <returns>The statement and signing key, or the first error in that order.</returns>
    public static AttestationVerification Verify(DsseEnvelope envelope, IReadOnlyCollection<DsseVerifierKey> trusted, string? predicateType = null)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(trusted);

        // Security: an unsupported payload type is refused whatever the signatures say (DSSE protocol: reject).
        if (envelope.PayloadType != InTotoStatement.PayloadType)
        {
            return Refuse(AttestationErrorCodes.PayloadTypeUnsupported.Error($"the payload type is `{envelope.PayloadType}`, not `{InTotoStatement.PayloadType}`"));
        }

        var pae = envelope.PreAuthenticationEncoding();
        string? verifiedBy = null;
        string? failedBy = null;
        foreach (var signature in envelope.Signatures)
        {
            // Spec: keyid is optional; a signature without one is tried against every trusted key.
            foreach (var key in trusted.Where(k => signature.KeyId is null || k.KeyId == signature.KeyId))
            {
                if (key.Verify(pae, signature.Signature))
                {
                    verifiedBy = key.KeyId;
                    break;
                }

                failedBy ??= key.KeyId;
            }

            if (verifiedBy is not null)
            {
                break;
            }
        }

        if (verifiedBy is null)
        {
            return failedBy is null
                ? Refuse(AttestationErrorCodes.KeyUnknown.Error($"no signature is by a trusted key: the envelope names {Names(envelope)}; trusted: {string.Join(", ", trusted.Select(k => $"`{k.KeyId}`"))}"))
                : Refuse(AttestationErrorCodes.SignatureInvalid.Error($"the signature by `{failedBy}` does not verify over the payload and its type"));
        }

        if (!InTotoStatement.TryParse(envelope.Payload.Span, out var statement, out var statementError))
        {
            return Refuse(statementError);
        }

        if (predicateType is not null && statement.PredicateType != predicateType)
        {
            return Refuse(AttestationErrorCodes.PredicateTypeUnexpected.Error($"the predicate type is `{statement.PredicateType}`, not `{predicateType}`"));
        }

        return new AttestationVerification(statement, verifiedBy, null);
    }

    /// <summary>Checks that a statement's subjects are exactly the artifacts given, by name and SHA-256 digest.</summary>
    /// <param name="statement">The verified statement.</param>
    /// <param name="artifacts">The artifacts at hand, with digests computed from their bytes.</param>
    /// <returns><see langword="null"/> when they match; otherwise PRV5007 naming the first subject that differs, or a subject named twice.</returns>
    public static Diagnostic? CheckSubjects(InTotoStatement statement, IReadOnlyList<AttestationSubject> artifacts)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(artifacts);
        var attested = new Dictionary<string, AttestationSubject>(StringComparer.Ordinal);
        foreach (var subject in statement.Subjects)
        {
            // Security: a name given twice would let the second digest go unchecked, so it matches no artifact.
            if (!attested.TryAdd(subject.Name, subject))
            {
                return AttestationErrorCodes.SubjectMismatch.Error($"the attestation names `{subject.Name}` twice");
            }
        }

        foreach (var artifact in artifacts)
        {
            if (!attested.Remove(artifact.Name, out var subject))
            {
                return AttestationErrorCodes.SubjectMismatch.Error($"`{artifact.Name}` is not a subject of the attestation");
            }

            if (subject.Sha256 is not { } expected || artifact.Sha256 is not { } actual || expected != actual)
            {
                return AttestationErrorCodes.SubjectMismatch.Error($"`{artifact.Name}` has digest `{artifact.Sha256}`, the attestation says `{subject.Sha256?.ToString() ?? "no sha256"}`");
            }
        }

        return attested.Count == 0
            ? null
            : AttestationErrorCodes.SubjectMismatch.Error($"the attestation names `{attested.Keys.Order(StringComparer.Ordinal).First()}`, which is not among the artifacts checked");
    }

    private static string Names(DsseEnvelope envelope)
    {
        var names = envelope.Signatures.Select(s => s.KeyId is null ? "no key id" : $"`{s.KeyId}`").Distinct().ToList();
        return string.Join(", ", names);
    }

    private static AttestationVerification Refuse(Diagnostic error) => new(null, null, error);
}
