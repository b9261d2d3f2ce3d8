using System.Numerics;

namespace Concordat.Privacy.Noise;

/// <summary>
/// The threshold of differentially private partition selection: a group whose keys come from the data is shown only
/// when its noisy distinct-entity count is at least the threshold, so a group that one entity alone makes appears
/// with probability at most δ.
/// </summary>
/// <remarks>
/// <para>
/// The mechanism is the thresholded Laplace (or Gaussian) mechanism of Wilson, Zhang, Lam, Desfontaines,
/// Simmons-Marengo and Gipson, "Differentially Private SQL with Bounded User Contribution" (PoPETs 2020,
/// arXiv:1909.01917), as Google's differential-privacy library implements it (its partition selection divides δ among
/// the k partitions one user may add); Desfontaines, Voss, Gipson and Mandayam, "Differentially private
/// partition selection" (PoPETs 2022, arXiv:2006.03684) compare it with the optimal mechanism. An entity that alone
/// makes up to k groups gives each a distinct-entity count of exactly 1, and such a group is shown only when
/// 1 + Z ≥ τ for its noise Z, so the threshold τ is set so that P[Z ≥ τ − 1] ≤ δ/k (a union bound over the k groups).
/// </para>
/// <para>
/// Tails, bounded from above (so the δ achieved is at most the δ asked): the discrete Laplace of scale t has
/// P[Z ≥ m] = e^(−m/t)/(1 + e^(−1/t)) ≤ e^(−m/t) for m ≥ 1; the discrete Gaussian of parameter σ² has
/// P[Z ≥ m] ≤ e^(−m²/(2σ²)), since its moment generating function is at most the continuous Gaussian's (Canonne,
/// Kamath and Steinke, "The Discrete Gaussian for Differential Privacy", NeurIPS 2020, arXiv:2004.00010, §2). So τ − 1
/// is the least m ≥ 1 with e^x ≥ k/δ, x = m/t or m²/(2σ²), decided with integers only: e^x is bounded from below by
/// its Taylor polynomial, so the threshold is never below the exact one, at most slightly above it.
/// </para>
/// <para>Security: integers only, as every sampler in this namespace (an architecture test reads it for floating point).</para>
/// </remarks>
public static class PartitionSelection
{
    /// <summary>The smallest δ a query may ask for: 10^-100 (smaller δ only raises the threshold, at a cost in exactness).</summary>
    public static readonly Rational MinDelta = new(BigInteger.One, BigInteger.Pow(10, 100));

    // e^x ≥ k/δ holds for every x ≥ 256 when k ≤ 10^6 and δ ≥ 10^-100: e^256 > 10^111.
    private const int CertainExponent = 256;

    /// <summary>Returns whether <paramref name="delta"/> is a δ a query may ask for: at least <see cref="MinDelta"/> and below 1.</summary>
    /// <param name="delta">δ.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValid(Rational delta) => delta >= MinDelta && !(delta >= Rational.FromInteger(1));

    /// <summary>The threshold τ for discrete Laplace noise of <paramref name="scale"/> on each group's distinct-entity count.</summary>
    /// <param name="scale">The noise's scale; MUST be positive.</param>
    /// <param name="contributions">k: how many groups one entity may make; from 1 to 10^6.</param>
    /// <param name="delta">δ; MUST be valid (<see cref="IsValid"/>).</param>
    /// <returns>τ: a group is shown when its noisy count is at least τ.</returns>
    public static long LaplaceThreshold(Rational scale, int contributions, Rational delta)
    {
        Check(scale, contributions, delta);
        return Threshold(m => new Rational(m, BigInteger.One) / scale, contributions, delta);
    }

    /// <summary>The threshold τ for discrete Gaussian noise of parameter <paramref name="sigmaSquared"/> on each group's distinct-entity count.</summary>
    /// <param name="sigmaSquared">σ²; MUST be positive.</param>
    /// <param name="contributions">k: how many groups one entity may make; from 1 to 10^6.</param>
    /// <param name="delta">δ; MUST be valid (<see cref="IsValid"/>).</param>
    /// <returns>τ: a group is shown when its noisy count is at least τ.</returns>
    public static long GaussianThreshold(Rational sigmaSquared, int contributions, Rational delta)
    {
        Check(sigmaSquared, contributions, delta);
        return Threshold(m => new Rational(m * m, BigInteger.One) / (Rational.FromInteger(2) * sigmaSquared), contributions, delta);
    }

    private static void Check(Rational parameter, int contributions, Rational delta)
    {
        if (parameter.IsZero || parameter.Numerator.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(parameter), "the noise parameter must be positive");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(contributions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(contributions, 1_000_000);
        if (!IsValid(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), "δ must be at least 10^-100 and below 1");
        }
    }

    // τ = 1 + the least m ≥ 1 with e^(exponent(m)) ≥ k/δ; exponent grows with m, so doubling then halving finds it.
    private static long Threshold(Func<BigInteger, Rational> exponent, int contributions, Rational delta)
    {
        var target = Rational.FromInteger(contributions) / delta;
        bool Holds(BigInteger m) => ExpAtLeast(exponent(m), target);

        BigInteger high = 1;
        while (!Holds(high))
        {
            high *= 2;
        }

        var low = high / 2;
        while (high - low > 1)
        {
            var middle = (low + high) / 2;
            if (Holds(middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return checked((long)high + 1);
    }

    /// <summary>Whether e^x ≥ y is certain from the Taylor polynomial of e^x of degree n (a lower bound for x ≥ 0).</summary>
    internal static bool ExpAtLeast(Rational x, Rational y)
    {
        if (x >= Rational.FromInteger(CertainExponent))
        {
            return true;
        }

        // Horner from the inside, over one common denominator so no gcd is taken: A_n = 1 and
        // A_{j−1} = 1 + (x/j)·A_j, with x = p/q and A_j = a_j/d_j, give d_{j−1} = q·j·d_j and a_{j−1} = d_{j−1} + p·a_j.
        // Then A_0 = Σ_{j ≤ n} x^j/j! ≤ e^x; the degree 3⌈x⌉ + 32 leaves the remainder far below the terms that matter.
        var p = x.Numerator;
        var q = x.Denominator;
        var n = (3 * (int)((p + q - 1) / q)) + 32;
        BigInteger a = 1;
        BigInteger d = 1;
        for (var j = n; j >= 1; j--)
        {
            var next = q * j * d;
            a = next + (p * a);
            d = next;
        }

        return a * y.Denominator >= y.Numerator * d;
    }
}
