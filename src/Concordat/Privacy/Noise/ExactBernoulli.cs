using System.Numerics;

namespace Concordat.Privacy.Noise;

/// <summary>
/// Bernoulli trials with rational success probabilities, <c>p = n/d</c> and <c>p = exp(-n/d)</c>, computed exactly
/// with integers.
/// </summary>
/// <remarks>
/// Spec: Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020,
/// arXiv:2004.00010), Algorithm 1. No floating point is involved, so the probabilities are exactly the ones stated.
/// </remarks>
internal static class ExactBernoulli
{
    /// <summary>Draws Bernoulli(<paramref name="numerator"/> / <paramref name="denominator"/>).</summary>
    /// <typeparam name="T">The integer type.</typeparam>
    /// <param name="random">The source of uniform words.</param>
    /// <param name="numerator">The numerator; MUST be non-negative.</param>
    /// <param name="denominator">The denominator; MUST be positive.</param>
    /// <returns><see langword="true"/> with probability <c>min(1, n/d)</c>.</returns>
    public static bool Sample<T>(IRandomSource random, T numerator, T denominator)
        where T : IBinaryInteger<T>
        => UniformInteger.Below(random, denominator) < numerator;

    /// <summary>Draws Bernoulli(exp(-<paramref name="numerator"/> / <paramref name="denominator"/>)).</summary>
    /// <typeparam name="T">The integer type.</typeparam>
    /// <param name="random">The source of uniform words.</param>
    /// <param name="numerator">The numerator of γ; MUST be non-negative.</param>
    /// <param name="denominator">The denominator of γ; MUST be positive.</param>
    /// <returns><see langword="true"/> with probability exactly <c>exp(-γ)</c>.</returns>
    /// <exception cref="OverflowException">The fixed-width type <typeparamref name="T"/> overflowed.</exception>
    public static bool SampleExpMinus<T>(IRandomSource random, T numerator, T denominator)
        where T : IBinaryInteger<T>
    {
        if (numerator <= denominator)
        {
            return SampleExpMinusAtMostOne(random, numerator, denominator);
        }

        // Spec: CKS20 Algorithm 1, γ > 1: exp(-γ) = exp(-1)^⌊γ⌋ · exp(-(γ - ⌊γ⌋)), one trial per factor.
        var whole = numerator / denominator;
        for (var k = T.Zero; k < whole; k++)
        {
            if (!SampleExpMinusAtMostOne(random, T.One, T.One))
            {
                return false;
            }
        }

        return SampleExpMinusAtMostOne(random, numerator - (whole * denominator), denominator);
    }

    private static bool SampleExpMinusAtMostOne<T>(IRandomSource random, T numerator, T denominator)
        where T : IBinaryInteger<T>
    {
        // Spec: CKS20 Algorithm 1, γ ∈ [0, 1]: K ← 1; while Bernoulli(γ/K) succeeds, K ← K + 1; return whether K is
        // odd. P[K > k] = γ^k / k!, so P[K odd] = Σ (-γ)^k / k! = exp(-γ).
        var k = T.One;
        while (Sample(random, numerator, checked(denominator * k)))
        {
            k++;
        }

        return T.IsOddInteger(k);
    }
}
