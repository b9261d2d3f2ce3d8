namespace Concordat.Agreements;

/// <summary>
/// Whether and how results may be published.
/// </summary>
/// <param name="Allowed">Whether results may be published.</param>
/// <param name="Attribution">The attribution text publications must carry.</param>
/// <param name="ReviewDays">Days the provider has to review before publication.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record PublicationTerms(bool Allowed, string? Attribution, int? ReviewDays);
