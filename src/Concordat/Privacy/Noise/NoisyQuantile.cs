using System.Numerics;

namespace Concordat.Privacy.Noise;

/// <summary>
/// A differentially private quantile over a declared bounded integer domain by noisy binary search: each step releases
/// one noisy integer score through an exact discrete sampler and halves the interval on its sign.
/// </summary>
/// <remarks>
/// <para>
/// For the quantile q = a/b (in lowest terms, 0 &lt; q ≤ 1) of values clamped to [lower, upper], the true answer is the
/// smallest c with b·#(x ≤ c) ≥ a·n. Each step at the midpoint c releases the score
/// <c>D(c) = b·#(x ≤ c) − a·n = (b − a)·#(x ≤ c) − a·#(x &gt; c)</c> plus noise and keeps the lower half when the noisy
/// score is ≥ 0. One value changes D(c) by b − a or −a, so its sensitivity per value is <see cref="Sensitivity"/>
/// = max(a, b − a), and the search takes at most <see cref="StepsFor"/> = ⌈log₂(upper − lower + 1)⌉ steps.
/// </para>
/// <para>
/// Cost: each step is one release of a counting-style query, and the steps compose adaptively. In zCDP that is the sum
/// of the steps' ρ (Bun and Steinke, "Concentrated Differential Privacy: Simplifications, Extensions, and Lower
/// Bounds", TCC 2016, arXiv:1605.02065, Lemma 2.3); for the discrete Laplace it is the sum of the steps' ε (basic
/// composition). Choosing the halves is post-processing. So a search priced at <see cref="StepsFor"/> steps of ρ each
/// costs at most that many times ρ, whichever path the noise takes (a path that ends early spends less).
/// </para>
/// <para>
/// Security: integers only (an architecture test holds <c>Concordat.Privacy.Noise</c> to no floating point), and the
/// exact counts never leave the search: only the chosen value does.
/// </para>
/// </remarks>
public sealed class NoisyQuantile
{
    /// <summary>The largest denominator a quantile may have (it scales the sensitivity, and so the noise).</summary>
    public const int MaxDenominator = 1_000;

    private readonly Int128 _a;
    private readonly Int128 _b;

    /// <summary>Creates the search for <paramref name="quantile"/> over [<paramref name="lower"/>, <paramref name="upper"/>].</summary>
    /// <param name="quantile">q: MUST be above 0, at most 1, with a denominator of at most <see cref="MaxDenominator"/> in lowest terms.</param>
    /// <param name="lower">The domain's lowest value.</param>
    /// <param name="upper">The domain's highest value; MUST NOT be below <paramref name="lower"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The quantile or the bounds are out of range.</exception>
    public NoisyQuantile(Rational quantile, long lower, long upper)
    {
        if (!IsValid(quantile))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), "the quantile must be above 0, at most 1, with a denominator of at most 1000");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(upper, lower);
        Quantile = quantile;
        Lower = lower;
        Upper = upper;
        _a = (Int128)quantile.Numerator;
        _b = (Int128)quantile.Denominator;
    }

    /// <summary>Gets q.</summary>
    public Rational Quantile { get; }

    /// <summary>Gets the domain's lowest value.</summary>
    public long Lower { get; }

    /// <summary>Gets the domain's highest value.</summary>
    public long Upper { get; }

    /// <summary>Gets how much one value can change a step's score: max(a, b − a) for q = a/b.</summary>
    public BigInteger Sensitivity => BigInteger.Max((BigInteger)_a, (BigInteger)(_b - _a));

    /// <summary>Whether <paramref name="quantile"/> is one the search takes: above 0, at most 1, a denominator of at most <see cref="MaxDenominator"/>.</summary>
    /// <param name="quantile">q.</param>
    /// <returns>Whether it is valid.</returns>
    public static bool IsValid(Rational quantile) =>
        !quantile.IsZero && quantile.Numerator <= quantile.Denominator && quantile.Denominator <= MaxDenominator;

    /// <summary>Returns the most steps a search over [<paramref name="lower"/>, <paramref name="upper"/>] takes: ⌈log₂(upper − lower + 1)⌉.</summary>
    /// <param name="lower">The domain's lowest value.</param>
    /// <param name="upper">The domain's highest value.</param>
    /// <returns>The steps; 0 for a domain of one value.</returns>
    public static int StepsFor(long lower, long upper)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(upper, lower);
        var size = (UInt128)((Int128)upper - lower + 1);
        var steps = 0;
        while (((UInt128)1 << steps) < size)
        {
            steps++;
        }

        return steps;
    }

    /// <summary>Searches for the quantile of the values <paramref name="countAtMost"/> describes.</summary>
    /// <param name="countAtMost">The exact number of values ≤ a given value, each value already clamped to the domain.</param>
    /// <param name="total">The exact number of values.</param>
    /// <param name="noise">One draw of the step's noise (a discrete Gaussian or Laplace priced at <see cref="Sensitivity"/> times the values one entity may add).</param>
    /// <param name="random">The randomness of the noise.</param>
    /// <returns>The chosen value, in [<see cref="Lower"/>, <see cref="Upper"/>].</returns>
    public long Search(Func<long, long> countAtMost, long total, Func<IRandomSource, long> noise, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(countAtMost);
        ArgumentNullException.ThrowIfNull(noise);
        ArgumentNullException.ThrowIfNull(random);
        var low = Lower;
        var high = Upper;
        while (low < high)
        {
            // Invariant: the midpoint is computed in 128 bits, so bounds of opposite signs cannot overflow.
            var middle = (long)(((Int128)low + high) >> 1);
            var score = (_b * countAtMost(middle)) - (_a * total) + noise(random);
            if (score >= 0)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
