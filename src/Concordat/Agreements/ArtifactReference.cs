namespace Concordat.Agreements;

/// <summary>
/// A document the agreement relies on, referenced by digest (a DPIA, a model card, a risk assessment).
/// </summary>
/// <param name="Kind">The kind, such as <c>dpia</c>, <c>model-card</c> or <c>risk-assessment</c>.</param>
/// <param name="Digest">The SHA-256 digest of the document.</param>
/// <param name="Name">A human-readable name.</param>
/// <param name="ApprovedBy">The approver who approved the document, when one did.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record ArtifactReference(string Kind, Concordat.Core.Sha256Digest Digest, string? Name, ApproverId? ApprovedBy = null);
