namespace Concordat.Agreements;

/// <summary>
/// How many requests a recipient may make in a period.
/// </summary>
/// <param name="Requests">The number of requests.</param>
/// <param name="Period">The period.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record RateLimit(int Requests, TimeSpan Period);
