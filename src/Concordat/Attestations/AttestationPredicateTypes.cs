namespace Concordat.Attestations;

/// <summary>
/// The predicate type URIs of Concordat's attestations, one per kind, all under <see cref="Prefix"/>.
/// </summary>
/// <remarks>
/// A predicate type names its version (<c>/v1</c>); a change a verifier would read differently is a new version,
/// never an edit of an existing one.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/attestations.md
public static class AttestationPredicateTypes
{
    /// <summary>The prefix every Concordat predicate type starts with.</summary>
    public const string Prefix = "https://concordat.example/attestations/";

    /// <summary>A stored dataset version: files, rows, schema, schema change, tags, importer.</summary>
    public const string DatasetVersion = Prefix + "dataset-version/v1";

    /// <summary>The receipt of one egress: rows, bytes, digest of the bytes sent, decision, agreement, purpose, obligations.</summary>
    public const string Egress = Prefix + "egress/v1";

    /// <summary>A registered model: checkpoints, training configuration, inputs, trainer, purpose, agreements.</summary>
    public const string Model = Prefix + "model/v1";

    /// <summary>Any files, attested by <c>concordat attest sign</c>: the subjects and who signed, nothing more.</summary>
    public const string Artifact = Prefix + "artifact/v1";

    /// <summary>A recipient's deletion of what it received: the egress by decision id and digest, when, and by whom.</summary>
    public const string Deletion = Prefix + "deletion/v1";

    /// <summary>A compliance artifact registered for an agreement (a DPIA, a validation report, a model card): its kind, name, registration and expiry.</summary>
    public const string ComplianceArtifact = Prefix + "compliance-artifact/v1";

    /// <summary>The erasure of a data subject from a dataset: each version's old and new manifest as subjects, rows removed, the keyed commitment to the subject, the egress affected.</summary>
    public const string Erasure = Prefix + "erasure/v1";

    /// <summary>A due-diligence record: a party's score by a questionnaire's rubric, stated by an assessor.</summary>
    public const string Diligence = Prefix + "diligence/v1";
}
