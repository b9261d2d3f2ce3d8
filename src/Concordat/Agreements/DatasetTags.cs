namespace Concordat.Agreements;

/// <summary>
/// Tags describing a dataset.
/// </summary>
/// <param name="Sensitivity">The sensitivity level.</param>
/// <param name="Licence">The licence as an SPDX licence expression.</param>
/// <param name="Source">Where the data comes from (provenance).</param>
/// <param name="OriginJurisdiction">Where the data was collected.</param>
/// <param name="PersonalData">Whether the dataset holds personal data.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record DatasetTags(SensitivityLevel Sensitivity, string? Licence, string? Source, Jurisdiction? OriginJurisdiction, bool PersonalData)
{
    /// <summary>Gets where the dataset's data resides (a dataset-level set; empty when none is declared).</summary>
    public IReadOnlyList<Jurisdiction> Residency { get; init; } = [];
}
