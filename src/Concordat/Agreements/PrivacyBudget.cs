namespace Concordat.Agreements;

/// <summary>
/// A differential-privacy budget for aggregate queries.
/// </summary>
/// <param name="Epsilon">The ε budget per period.</param>
/// <param name="Delta">The δ budget per period.</param>
/// <param name="Period">The period after which the budget renews.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record PrivacyBudget(double Epsilon, double Delta, TimeSpan Period)
{
    /// <summary>
    /// Gets the ε over all periods together, when the agreement caps it: without a cap a renewing budget lets repeated
    /// queries leak without bound (the lint warns, AGR3502).
    /// </summary>
    public double? LifetimeEpsilon { get; init; }
}
