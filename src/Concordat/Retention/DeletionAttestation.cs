using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Retention;

/// <summary>
/// The statement of a recipient's deletion attestation (predicate type <see cref="AttestationPredicateTypes.Deletion"/>):
/// one subject <c>egress/&lt;decision id&gt;</c> per egress deleted, with the SHA-256 of the bytes received, and a
/// predicate naming the recipient and when the deletion was complete (docs/formats/attestations.md).
/// </summary>
/// <remarks>
/// The statement is signed by the recipient with <see cref="Attestation.Sign"/>; whoever checks it MUST verify the
/// envelope against a key pinned for that recipient first, and MUST check each subject's digest against its own
/// record of the egress: the statement alone proves only what the recipient claims.
/// </remarks>
public static class DeletionAttestation
{
    /// <summary>The prefix of every subject's name; the decision id follows it.</summary>
    public const string SubjectPrefix = "egress/";

    /// <summary>Writes the statement.</summary>
    /// <param name="claim">The recipient, the instant of deletion and the egress, at least one.</param>
    /// <returns>The statement to sign.</returns>
    /// <exception cref="ArgumentException">No egress is given, or one is given twice.</exception>
    public static InTotoStatement Statement(DeletionClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Egress.Count == 0 || claim.Egress.Select(e => e.DecisionId).Distinct().Count() != claim.Egress.Count)
        {
            throw new ArgumentException("a deletion attestation names at least one egress, each once", nameof(claim));
        }

        var predicate = new JsonObject
        {
            ["recipient"] = claim.Recipient.Value,
            ["deletedAt"] = Rfc3339.Format(claim.DeletedAt),
        };
        return new InTotoStatement([.. claim.Egress.Select(e => AttestationSubject.FromSha256(SubjectPrefix + e.DecisionId.Value, e.Sha256))], AttestationPredicateTypes.Deletion, predicate);
    }

    /// <summary>Reads a verified statement's claim.</summary>
    /// <param name="statement">A statement whose envelope verified, of predicate type <see cref="AttestationPredicateTypes.Deletion"/>.</param>
    /// <param name="claim">The claim, when the statement is well formed.</param>
    /// <param name="error">AGR3550 naming what is wrong, otherwise (PRV5006 for another predicate type).</param>
    /// <returns><see langword="true"/> when the statement is a deletion attestation.</returns>
    public static bool TryRead(InTotoStatement statement, [NotNullWhen(true)] out DeletionClaim? claim, [NotNullWhen(false)] out Diagnostic? error)
    {
        ArgumentNullException.ThrowIfNull(statement);
        claim = null;
        if (statement.PredicateType != AttestationPredicateTypes.Deletion)
        {
            error = AttestationErrorCodes.PredicateTypeUnexpected.Error($"the predicate type is `{statement.PredicateType}`, not `{AttestationPredicateTypes.Deletion}`");
            return false;
        }

        if (statement.Predicate["recipient"] is not JsonValue recipientValue || !recipientValue.TryGetValue<string>(out var recipient) || recipient.Length == 0)
        {
            error = Malformed("the predicate has no `recipient`");
            return false;
        }

        var deletedText = statement.Predicate["deletedAt"] is JsonValue deletedValue && deletedValue.TryGetValue<string>(out var text) ? text : null;
        if (!Rfc3339.TryParseUtc(deletedText, out var deletedAt, out _))
        {
            error = Malformed($"`deletedAt` is `{deletedText ?? "missing"}`, not an RFC 3339 UTC instant");
            return false;
        }

        var egress = new List<DeletedEgress>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subject in statement.Subjects)
        {
            var decision = subject.Name.StartsWith(SubjectPrefix, StringComparison.Ordinal) ? subject.Name[SubjectPrefix.Length..] : string.Empty;
            if (decision.Length == 0 || subject.Sha256 is not { } digest)
            {
                error = Malformed($"subject `{subject.Name}` is not `{SubjectPrefix}<decision id>` with a SHA-256 digest");
                return false;
            }

            if (!seen.Add(decision))
            {
                error = Malformed($"subject `{subject.Name}` is named twice");
                return false;
            }

            egress.Add(new DeletedEgress(new DecisionId(decision), digest));
        }

        claim = new DeletionClaim(new PartyId(recipient), deletedAt, egress);
        error = null;
        return true;
    }

    private static Diagnostic Malformed(string message) => AgreementDiagnosticCodes.DeletionAttestationMalformed.Error(message);
}
