using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Evidence;

namespace Concordat.Compliance;

/// <summary>
/// A document registered for an agreement with its digest (a DPIA, a risk assessment, a validation report, a model
/// card, a consent log, a de-identification test), as its signed attestation states it.
/// </summary>
/// <param name="Kind">The artifact kind, a lowercase id such as <c>dpia</c>; checklist items name the kinds that satisfy them.</param>
/// <param name="Agreement">The agreement it is registered for.</param>
/// <param name="Name">The file's name.</param>
/// <param name="Digest">The SHA-256 of the file's bytes.</param>
/// <param name="RegisteredAt">When it was registered.</param>
/// <param name="ExpiresAt">When it stops satisfying items (a DPIA due for review); <see langword="null"/> for never.</param>
/// <param name="RegisteredBy">The party that registered it, when given.</param>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public sealed record ComplianceArtifact(string Kind, AgreementId Agreement, string Name, Sha256Digest Digest, DateTimeOffset RegisteredAt, DateTimeOffset? ExpiresAt, string? RegisteredBy)
{
    /// <summary>Gets the key id that signed the attestation, once verified; <see langword="null"/> before.</summary>
    public string? SignedBy { get; init; }

    /// <summary>Whether the artifact satisfies items at <paramref name="at"/>: registered by then and not yet expired.</summary>
    /// <param name="at">The instant of the check.</param>
    /// <returns><see langword="true"/> when it is in force.</returns>
    public bool IsInForceAt(DateTimeOffset at) => RegisteredAt <= at && (ExpiresAt is not { } expires || at < expires);

    /// <summary>Builds the attestation's statement: the file as the one subject, predicate <see cref="AttestationPredicateTypes.ComplianceArtifact"/>.</summary>
    /// <returns>The statement, ready to sign.</returns>
    public InTotoStatement ToStatement()
    {
        var predicate = new JsonObject
        {
            ["kind"] = Kind,
            ["agreement"] = Agreement.Value,
            ["registeredAt"] = Rfc3339.Format(RegisteredAt),
        };
        if (ExpiresAt is { } expires)
        {
            predicate["expiresAt"] = Rfc3339.Format(expires);
        }

        if (RegisteredBy is not null)
        {
            predicate["registeredBy"] = RegisteredBy;
        }

        return new InTotoStatement([AttestationSubject.FromSha256(Name, Digest)], AttestationPredicateTypes.ComplianceArtifact, predicate);
    }

    /// <summary>Reads an artifact from a verified statement.</summary>
    /// <param name="statement">A statement whose envelope verified.</param>
    /// <param name="artifact">The artifact, when the statement is one.</param>
    /// <param name="error">The EVD8102 diagnostic, otherwise.</param>
    /// <returns><see langword="true"/> when the statement is a compliance artifact with a kind, agreement, registration time and one SHA-256 subject.</returns>
    public static bool TryFromStatement(InTotoStatement statement, [NotNullWhen(true)] out ComplianceArtifact? artifact, [NotNullWhen(false)] out Diagnostic? error)
    {
        ArgumentNullException.ThrowIfNull(statement);
        artifact = null;
        var predicate = statement.Predicate;
        var kind = JsonMembers.Text(predicate["kind"]);
        var agreement = JsonMembers.Text(predicate["agreement"]);
        var expiresText = JsonMembers.Text(predicate["expiresAt"]);
        DateTimeOffset? expires = null;
        if (statement.PredicateType != AttestationPredicateTypes.ComplianceArtifact)
        {
            error = EvidenceErrorCodes.ArtifactUnusable.Error($"the statement's predicate type is `{statement.PredicateType}`, not `{AttestationPredicateTypes.ComplianceArtifact}`");
            return false;
        }

        if (kind is null || agreement is null || !Rfc3339.TryParseUtc(JsonMembers.Text(predicate["registeredAt"]), out var registeredAt, out _)
            || statement.Subjects.Count != 1 || statement.Subjects[0].Sha256 is not { } digest)
        {
            error = EvidenceErrorCodes.ArtifactUnusable.Error("the predicate lacks `kind`, `agreement` or `registeredAt`, or the statement has not exactly one SHA-256 subject");
            return false;
        }

        if (expiresText is not null)
        {
            if (!Rfc3339.TryParseUtc(expiresText, out var instant, out _))
            {
                error = EvidenceErrorCodes.ArtifactUnusable.Error($"`expiresAt` `{expiresText}` is not an RFC 3339 UTC instant");
                return false;
            }

            expires = instant;
        }

        artifact = new ComplianceArtifact(kind, new AgreementId(agreement), statement.Subjects[0].Name, digest, registeredAt, expires, JsonMembers.Text(predicate["registeredBy"]));
        error = null;
        return true;
    }
}
