namespace Concordat.Compliance;

/// <summary>One item of a regime's checklist: an obligation, where it comes from, and what satisfies it.</summary>
/// <param name="Id">The item's id, unique across every checklist (it starts with the regime's id).</param>
/// <param name="Obligation">The obligation, in one sentence.</param>
/// <param name="Source">The article or section it comes from.</param>
/// <param name="Artifacts">The artifact kinds any one of which satisfies it; empty when the log does.</param>
/// <param name="Evidence">The fact computed from the log that satisfies it, when the log does.</param>
/// <param name="IsRequired">Whether a missing, expired or failed item fails the check.</param>
// CAUTION: persisted/public format; see docs/formats/compliance-checklist.md
public sealed record ComplianceItem(string Id, string Obligation, string Source, IReadOnlyList<string> Artifacts, LogEvidence? Evidence, bool IsRequired);
