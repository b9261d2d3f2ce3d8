namespace Concordat.Agreements;

/// <summary>
/// Service levels the provider commits to.
/// </summary>
/// <param name="AvailabilityPercent">Availability, in percent.</param>
/// <param name="ResponseHours">Support response time in hours.</param>
/// <param name="ApiTerms">API terms: versioning, deprecation notice, limits.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record ServiceLevels(double? AvailabilityPercent, int? ResponseHours, string? ApiTerms);
