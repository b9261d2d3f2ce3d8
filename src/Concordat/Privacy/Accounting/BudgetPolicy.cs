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
    public Rational PeriodCapacity => Capacity(Epsilon, Rational.Zero);

    /// <summary>Gets what all periods together allow, in the same unit, or <see langword="null"/> for no cap.</summary>
    public Rational? LifetimeCapacity => LifetimeEpsilon is { } lifetime ? Capacity(lifetime, Rational.Zero) : null;

    /// <summary>Returns what one period allows once <paramref name="deltaSpent"/> of its δ is spent (partition selection).</summary>
    /// <param name="deltaSpent">The δ the period's spends took.</param>
    /// <returns>The largest ρ within (ε, δ − <paramref name="deltaSpent"/>), zero when no δ is left; ε when <see cref="IsPureOnly"/>.</returns>
    /// <remarks>
    /// Spends that are δᵢ-approximately ρᵢ-zCDP compose to Σδᵢ-approximately Σρᵢ-zCDP, which is (ε, δ)-DP when Σρᵢ-zCDP
    /// is (ε, δ − Σδᵢ)-DP (Bun and Steinke 2016, arXiv:1605.02065, §8). So the ρ a period allows shrinks as its δ is spent.
    /// </remarks>
    public Rational PeriodCapacityAfter(Rational deltaSpent) => Capacity(Epsilon, deltaSpent);

    /// <summary>Returns what all periods together allow once <paramref name="deltaSpent"/> of δ is spent over all of them.</summary>
    /// <param name="deltaSpent">The δ all spends took.</param>
    /// <returns>The capacity, or <see langword="null"/> for no cap.</returns>
    public Rational? LifetimeCapacityAfter(Rational deltaSpent) => LifetimeEpsilon is { } lifetime ? Capacity(lifetime, deltaSpent) : null;

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

    private Rational Capacity(double epsilon, Rational deltaSpent)
    {
        if (IsPureOnly)
        {
            return ExactDouble.ToRational(epsilon);
        }

        if (deltaSpent.IsZero)
        {
            return ExactDouble.ToRational(ZcdpConversion.MaximumRho(epsilon, Delta));
        }

        var delta = ExactDouble.ToRational(Delta);
        return delta <= deltaSpent ? Rational.Zero : ExactDouble.ToRational(ZcdpConversion.MaximumRho(epsilon, ExactDouble.ToDoubleBelow(delta - deltaSpent)));
    }
}
