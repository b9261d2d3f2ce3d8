using Concordat.Agreements;
using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>
/// A grant's privacy budget as the ledger applies it: (ε, δ) per period from an anchor, and an optional lifetime ε.
/// </summary>
/// <param name="Epsilon">ε per period.</param>
/// <param name="Delta">δ; zero allows pure-DP (discrete Laplace) releases only, counted in ε.</param>
/// <param name="Period">How often the budget renews.</param>
/// <param name="Anchor">When the first period starts (the agreement's effective start).</param>
/// <param name="LifetimeEpsilon">ε over all periods together, or <see langword="null"/> for none.</param>
public sealed record BudgetPolicy(double Epsilon, double Delta, TimeSpan Period, DateTimeOffset Anchor, double? LifetimeEpsilon = null)
{
    /// <summary>Gets whether only pure-DP releases are allowed (δ = 0); spends are then counted in ε, not ρ.</summary>
    public bool IsPureOnly => Delta == 0;

    /// <summary>Gets what one period allows: ε when <see cref="IsPureOnly"/>, else the largest ρ within (ε, δ).</summary>
    public Rational PeriodCapacity => Capacity(Epsilon);

    /// <summary>Gets what all periods together allow, in the same unit, or <see langword="null"/> for no cap.</summary>
    public Rational? LifetimeCapacity => LifetimeEpsilon is { } lifetime ? Capacity(lifetime) : null;

    /// <summary>Creates the policy of an agreement's privacy budget.</summary>
    /// <param name="budget">The grant's budget.</param>
    /// <param name="anchor">When the first period starts.</param>
    /// <returns>The policy.</returns>
    public static BudgetPolicy From(PrivacyBudget budget, DateTimeOffset anchor)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new BudgetPolicy(budget.Epsilon, budget.Delta, budget.Period, anchor, budget.LifetimeEpsilon);
    }

    /// <summary>Returns the start of the period <paramref name="at"/> falls in.</summary>
    /// <param name="at">A time at or after the anchor.</param>
    /// <returns>The period's start.</returns>
    public DateTimeOffset PeriodStart(DateTimeOffset at)
    {
        var elapsed = Math.Max(0, (at - Anchor).Ticks);
        return Anchor + TimeSpan.FromTicks(elapsed - (elapsed % Period.Ticks));
    }

    /// <summary>Returns what a spend counts against this policy: ε when pure-only, else ρ; null when not allowed.</summary>
    /// <param name="spend">The spend.</param>
    /// <returns>The amount, or <see langword="null"/> when a release needs δ &gt; 0 and δ is zero.</returns>
    public Rational? Cost(PrivacySpend spend)
    {
        ArgumentNullException.ThrowIfNull(spend);
        return IsPureOnly ? spend.Epsilon : spend.Rho;
    }

    private Rational Capacity(double epsilon)
        => ExactDouble.ToRational(IsPureOnly ? epsilon : ZcdpConversion.MaximumRho(epsilon, Delta));
}
