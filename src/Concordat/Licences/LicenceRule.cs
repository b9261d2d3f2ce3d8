namespace Concordat.Licences;

/// <summary>
/// One row of the compatibility table: a licence's kind, its conditions, and the licences an adaptation may take.
/// </summary>
/// <param name="Kind">The row's kind, as docs/design/licences.md names it (<c>permissive</c>, <c>strong copyleft</c>, ...).</param>
/// <param name="Conditions">The conditions the check applies.</param>
/// <param name="AdaptationLicences">With <see cref="LicenceConditions.ShareAlike"/>: the licences a model trained on the work may be licensed under.</param>
public sealed record LicenceRule(string Kind, LicenceConditions Conditions, IReadOnlyList<string> AdaptationLicences)
{
    /// <summary>Gets a value indicating whether the rule has every one of <paramref name="conditions"/>.</summary>
    /// <param name="conditions">The conditions asked about.</param>
    /// <returns>Whether all are conditions of the rule.</returns>
    public bool Has(LicenceConditions conditions) => (Conditions & conditions) == conditions;
}
