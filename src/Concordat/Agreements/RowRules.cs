namespace Concordat.Agreements;

/// <summary>
/// Which rows may leave under a grant.
/// </summary>
/// <param name="RequireConsent">Each row's consent basis must cover the purpose.</param>
/// <param name="Residency">Only rows resident in these jurisdictions leave; empty means no residency rule.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record RowRules(bool RequireConsent, IReadOnlyList<Jurisdiction> Residency);
