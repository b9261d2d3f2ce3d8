using System.Numerics;

namespace Concordat.Privacy.Noise;

/// <summary>
/// The discrete Laplace distribution on the integers, <c>P[X = x] ∝ exp(-|x| / scale)</c>, sampled exactly.
/// </summary>
/// <remarks>
/// Spec: Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020,
/// arXiv:2004.00010), Algorithm 2, with <c>scale = t/s</c>. Integers and exact rationals only: Mironov (2012) shows
/// that the low bits of a floating-point Laplace sample leak the true value.
/// </remarks>
public sealed class DiscreteLaplace
{
    // Invariant: below this bound U + t·V and every product in Algorithm 1 fit in 128 bits for any V the sampler can
    // reach in practice; the arithmetic is checked all the same.
    private static readonly BigInteger s_fastPathLimit = BigInteger.One << 60;

    private readonly BigInteger _s;
    private readonly BigInteger _t;
    private readonly bool _isFast;

    /// <summary>Creates the distribution with the given scale.</summary>
    /// <param name="scale">The scale <c>t/s</c>; MUST be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">The scale is zero.</exception>
    public DiscreteLaplace(Rational scale)
    {
        if (scale.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), "the scale must be positive");
        }

        Scale = scale;
        _t = scale.Numerator;
        _s = scale.Denominator;
        _isFast = _t < s_fastPathLimit && _s < s_fastPathLimit;
    }

    /// <summary>Gets the scale.</summary>
    public Rational Scale { get; }

    /// <summary>Draws one sample.</summary>
    /// <param name="random">The source of uniform words.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="OverflowException">The sample does not fit in 64 bits (not reachable at supported scales).</exception>
    public long Sample(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _isFast
            ? ToInt64(SampleCore(random, (UInt128)_s, (UInt128)_t))
            : ToInt64(SampleCore(random, _s, _t));
    }

    /// <summary>Draws the magnitude and sign of one sample of scale <c>t/s</c>.</summary>
    /// <typeparam name="T">The integer type.</typeparam>
    /// <param name="random">The source of uniform words.</param>
    /// <param name="s">The denominator of the scale; MUST be positive.</param>
    /// <param name="t">The numerator of the scale; MUST be positive.</param>
    /// <returns>|X| and whether X is negative.</returns>
    internal static (T Magnitude, bool IsNegative) SampleCore<T>(IRandomSource random, T s, T t)
        where T : IBinaryInteger<T>
    {
        while (true)
        {
            // Spec: CKS20 Algorithm 2. U ~ Uniform{0..t-1} accepted with probability exp(-U/t) and V ~ Geometric
            // with P[V = v] ∝ exp(-v) make U + t·V geometric with parameter 1 - exp(-1/t).
            var u = UniformInteger.Below(random, t);
            if (!ExactBernoulli.SampleExpMinus(random, u, t))
            {
                continue;
            }

            var v = T.Zero;
            while (ExactBernoulli.SampleExpMinus(random, T.One, T.One))
            {
                v++;
            }

            var y = checked(u + (t * v)) / s;
            var isNegative = UniformInteger.Below(random, T.CreateTruncating(2)) == T.One;

            // Spec: reject the negative zero so that zero is not counted twice.
            if (isNegative && y == T.Zero)
            {
                continue;
            }

            return (y, isNegative);
        }
    }

    /// <summary>Converts a magnitude and sign to a 64-bit integer.</summary>
    /// <typeparam name="T">The integer type.</typeparam>
    /// <param name="sample">The magnitude and sign.</param>
    /// <returns>The signed value.</returns>
    internal static long ToInt64<T>((T Magnitude, bool IsNegative) sample)
        where T : IBinaryInteger<T>
    {
        var magnitude = long.CreateChecked(sample.Magnitude);
        return sample.IsNegative ? -magnitude : magnitude;
    }
}
