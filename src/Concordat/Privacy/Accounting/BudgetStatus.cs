using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>A budget's state at one time, in the policy's unit (ρ, or ε when only pure DP is allowed).</summary>
/// <param name="Spent">Spent in the current period.</param>
/// <param name="Capacity">What the period allows.</param>
/// <param name="SpentInLifetime">Spent over all periods.</param>
/// <param name="LifetimeCapacity">What all periods allow together, or <see langword="null"/> for no cap.</param>
public sealed record BudgetStatus(Rational Spent, Rational Capacity, Rational SpentInLifetime, Rational? LifetimeCapacity)
{
    /// <summary>Gets what can still be spent now: the lesser of the period's and the lifetime's remainders.</summary>
    public Rational Remaining
    {
        get
        {
            var period = Spent <= Capacity ? Capacity - Spent : Rational.Zero;
            if (LifetimeCapacity is not { } lifetime)
            {
                return period;
            }

            var rest = SpentInLifetime <= lifetime ? lifetime - SpentInLifetime : Rational.Zero;
            return period <= rest ? period : rest;
        }
    }
}
