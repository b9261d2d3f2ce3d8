namespace Concordat.Compliance;

/// <summary>One applicable regime's results.</summary>
/// <param name="Checklist">The regime's checklist.</param>
/// <param name="Items">Each item's result, in the checklist's order.</param>
public sealed record ComplianceRegimeResult(ComplianceChecklist Checklist, IReadOnlyList<ComplianceItemResult> Items);
