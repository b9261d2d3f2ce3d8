namespace Concordat.Agreements;

/// <summary>
/// The provider's audit rights.
/// </summary>
/// <param name="Allowed">Whether the provider may audit the recipient.</param>
/// <param name="Cadence">How often, as an ISO 8601 duration such as <c>P1Y</c>.</param>
/// <param name="NoticeDays">Notice before an audit.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record AuditTerms(bool Allowed, string? Cadence, int? NoticeDays);
