namespace Concordat.Compliance;

/// <summary>One checklist item's result.</summary>
/// <param name="Item">The item.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Artifact">The artifact that satisfies it, or the expired one that did; <see langword="null"/> for none or for log evidence.</param>
/// <param name="IsDeclared">Whether <paramref name="Artifact"/> comes from the agreement's own signed <c>artifacts</c> list rather than a registration.</param>
/// <param name="Detail">One line on what was found, such as the log's size or the grants that do not require consent.</param>
// CAUTION: persisted/public format; see docs/formats/compliance-checklist.md
public sealed record ComplianceItemResult(ComplianceItem Item, ComplianceStatus Status, ComplianceArtifact? Artifact, bool IsDeclared, string Detail)
{
    /// <summary>Gets a value indicating whether the item fails the check: required and missing, expired or failed.</summary>
    public bool IsFailing => Item.IsRequired && Status is ComplianceStatus.Missing or ComplianceStatus.Expired or ComplianceStatus.Failed;
}
