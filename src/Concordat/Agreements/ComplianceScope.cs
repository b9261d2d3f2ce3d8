namespace Concordat.Agreements;

/// <summary>
/// The jurisdictions and sectors whose rules apply, for compliance checks.
/// </summary>
/// <param name="Jurisdictions">Jurisdictions whose rules apply.</param>
/// <param name="Sectors">Sectors, such as <c>healthcare</c> or <c>finance</c>.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record ComplianceScope(IReadOnlyList<Jurisdiction> Jurisdictions, IReadOnlyList<string> Sectors);
