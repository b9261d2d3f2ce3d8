namespace Concordat.Privacy.Accounting;

/// <summary>
/// Converts ρ-zCDP to (ε, δ)-differential privacy with the optimised conversion of Canonne, Kamath and Steinke.
/// </summary>
/// <remarks>
/// <para>
/// Spec: Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020,
/// arXiv:2004.00010v3), §2.3, Corollary 13 (p. 13): a ρ-zCDP mechanism is (ε, δ)-DP for
/// <c>δ = inf over α &gt; 1 of exp((α−1)(αρ−ε)) / (α−1) · (1 − 1/α)^α</c>, equivalently
/// <c>ε = inf over α &gt; 1 of ρα + (log(1/(αδ)) + (α−1)log(1−1/α)) / (α−1)</c>.
/// This is tighter than Bun and Steinke's <c>ε = ρ + 2√(ρ log(1/δ))</c>, and decides how many queries a budget
/// allows, so both are minimised numerically over α here.
/// </para>
/// <para>
/// Floating point is fine here (accounting, not sampling): every α in (1, ∞) gives a valid bound, so an imprecise
/// minimiser only makes the bound slightly looser, never unsound.
/// </para>
/// </remarks>
internal static class ZcdpConversion
{
    private const double MinimumAlpha = 1.0 + 1e-9;
    private const int BisectionSteps = 200;

    /// <summary>The smallest ε for which ρ-zCDP implies (ε, δ)-DP.</summary>
    /// <param name="rho">ρ; MUST be non-negative.</param>
    /// <param name="delta">δ; MUST be in [0, 1].</param>
    /// <returns>ε (infinite when δ is zero and ρ is not).</returns>
    /// <exception cref="ArgumentOutOfRangeException">ρ is negative or δ outside [0, 1].</exception>
    public static double Epsilon(double rho, double delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rho);
        ArgumentOutOfRangeException.ThrowIfNegative(delta);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(delta, 1.0);
        if (rho == 0 || delta == 1)
        {
            return 0;
        }

        if (delta == 0 || double.IsPositiveInfinity(rho))
        {
            return double.PositiveInfinity;
        }

        // ε(α) is minimised where ε'(α) = ρ + log(αδ)/(α−1)² crosses zero (negative near α = 1).
        var alpha = FindRoot(a => rho + (Math.Log(a * delta) / ((a - 1) * (a - 1))));
        var epsilon = (alpha * rho) + ((Math.Log(1 / (alpha * delta)) + ((alpha - 1) * Math.Log(1 - (1 / alpha)))) / (alpha - 1));
        return Math.Max(0, epsilon);
    }

    /// <summary>The smallest δ for which ρ-zCDP implies (ε, δ)-DP.</summary>
    /// <param name="rho">ρ; MUST be non-negative.</param>
    /// <param name="epsilon">ε; MUST be non-negative.</param>
    /// <returns>δ, at most 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException">ρ or ε is negative.</exception>
    public static double Delta(double rho, double epsilon)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rho);
        ArgumentOutOfRangeException.ThrowIfNegative(epsilon);
        if (rho == 0 || double.IsPositiveInfinity(epsilon))
        {
            return 0;
        }

        if (double.IsPositiveInfinity(rho))
        {
            return 1;
        }

        // log δ(α) = (α−1)(αρ−ε) + α·log(1−1/α) − log(α−1); its derivative (2α−1)ρ − ε + log(1−1/α) increases in α.
        var alpha = FindRoot(a => (((2 * a) - 1) * rho) - epsilon + Math.Log(1 - (1 / a)));
        var logDelta = ((alpha - 1) * ((alpha * rho) - epsilon)) + (alpha * Math.Log(1 - (1 / alpha))) - Math.Log(alpha - 1);
        return Math.Min(1, Math.Exp(logDelta));
    }

    /// <summary>The largest ρ whose conversion stays within (ε, δ): how much zCDP loss an (ε, δ) budget allows.</summary>
    /// <param name="epsilon">ε; MUST be positive.</param>
    /// <param name="delta">δ; MUST be in (0, 1).</param>
    /// <returns>ρ such that <see cref="Epsilon"/>(ρ, δ) ≤ ε, within a relative 1e-12 of the largest such ρ.</returns>
    /// <exception cref="ArgumentOutOfRangeException">ε is not positive or δ is outside (0, 1).</exception>
    public static double MaximumRho(double epsilon, double delta)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epsilon);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(delta);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(delta, 1.0);
        var low = 0.0;
        var high = Math.Max(epsilon, 1.0);
        while (Epsilon(high, delta) <= epsilon)
        {
            low = high;
            high *= 2;
        }

        // Invariant: Epsilon(low) ≤ ε < Epsilon(high); ε grows with ρ, and returning low never overstates the budget.
        while (high - low > high * 1e-12)
        {
            var middle = low + ((high - low) / 2);
            if (Epsilon(middle, delta) <= epsilon)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static double FindRoot(Func<double, double> derivative)
    {
        var low = MinimumAlpha;
        var high = 2.0;
        while (derivative(high) <= 0 && high < 1e300)
        {
            low = high;
            high *= 2;
        }

        // Invariant: derivative(low) ≤ 0 < derivative(high); bisection keeps it so until the interval is one ulp.
        for (var i = 0; i < BisectionSteps; i++)
        {
            var middle = low + ((high - low) / 2);
            if (middle <= low || middle >= high)
            {
                break;
            }

            if (derivative(middle) > 0)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }
}
