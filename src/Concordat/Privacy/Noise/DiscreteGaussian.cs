using System.Numerics;

namespace Concordat.Privacy.Noise;

/// <summary>
/// The discrete Gaussian distribution on the integers, <c>P[X = x] ∝ exp(-x² / (2σ²))</c>, sampled exactly.
/// </summary>
/// <remarks>
/// Spec: Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS 2020,
/// arXiv:2004.00010), Algorithm 3: rejection from the discrete Laplace of scale <c>t = ⌊σ⌋ + 1</c>, accepting
/// <c>Y</c> with probability <c>exp(-(|Y| - σ²/t)² / (2σ²))</c>, over integers and exact rationals only.
/// </remarks>
public sealed class DiscreteGaussian
{
    // Invariant: with 2·a·b·t² below 2^100 the products of Algorithm 1 (denominator · K) fit in 128 bits unless K
    // exceeds 2^27, which happens with probability below 1/(2^27)!; the arithmetic is checked all the same.
    private static readonly BigInteger s_fastDenominatorLimit = BigInteger.One << 100;
    private static readonly BigInteger s_fastOperandLimit = BigInteger.One << 62;

    private readonly BigInteger _a;
    private readonly BigInteger _b;
    private readonly BigInteger _t;
    private readonly BigInteger _denominator;
    private readonly bool _isFast;
    private readonly UInt128 _fastMagnitudeLimit;

    /// <summary>Creates the distribution with variance parameter <paramref name="sigmaSquared"/>.</summary>
    /// <param name="sigmaSquared">σ² = a/b; MUST be positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">σ² is zero.</exception>
    public DiscreteGaussian(Rational sigmaSquared)
    {
        if (sigmaSquared.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(sigmaSquared), "σ² must be positive");
        }

        SigmaSquared = sigmaSquared;
        _a = sigmaSquared.Numerator;
        _b = sigmaSquared.Denominator;

        // Invariant: ⌊√x⌋ = ⌊√⌊x⌋⌋ for real x ≥ 0, so t = ⌊σ⌋ + 1 is computed from integers.
        _t = Rational.IntegerSquareRoot(_a / _b) + 1;
        _denominator = 2 * _a * _b * _t * _t;
        var tb = _t * _b;
        _isFast = _denominator < s_fastDenominatorLimit && _a < s_fastOperandLimit && tb < s_fastOperandLimit;
        if (_isFast)
        {
            // Invariant: |Y|·t·b below 2^63 keeps (|Y|·t·b - a)² below 2^126.
            _fastMagnitudeLimit = (UInt128)((BigInteger.One << 63) / tb);
        }
    }

    /// <summary>Gets σ².</summary>
    public Rational SigmaSquared { get; }

    /// <summary>Draws one sample.</summary>
    /// <param name="random">The source of uniform words.</param>
    /// <returns>The sample.</returns>
    /// <exception cref="OverflowException">The sample does not fit in 64 bits (not reachable at supported σ).</exception>
    public long Sample(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _isFast ? SampleFast(random) : DiscreteLaplace.ToInt64(SampleCore(random, _a, _b, _t, _denominator));
    }

    private long SampleFast(IRandomSource random)
    {
        var a = (UInt128)_a;
        var tb = (UInt128)(_t * _b);
        var t = (UInt128)_t;
        var denominator = (UInt128)_denominator;
        while (true)
        {
            var y = DiscreteLaplace.SampleCore(random, UInt128.One, t);
            bool accepted;
            if (y.Magnitude <= _fastMagnitudeLimit)
            {
                var product = y.Magnitude * tb;
                var difference = product >= a ? product - a : a - product;
                accepted = ExactBernoulli.SampleExpMinus(random, difference * difference, denominator);
            }
            else
            {
                accepted = Accept(random, (BigInteger)y.Magnitude, _a, _b, _t, _denominator);
            }

            if (accepted)
            {
                return DiscreteLaplace.ToInt64(y);
            }
        }
    }

    private static (BigInteger Magnitude, bool IsNegative) SampleCore(IRandomSource random, BigInteger a, BigInteger b, BigInteger t, BigInteger denominator)
    {
        while (true)
        {
            var y = DiscreteLaplace.SampleCore(random, BigInteger.One, t);
            if (Accept(random, y.Magnitude, a, b, t, denominator))
            {
                return y;
            }
        }
    }

    private static bool Accept(IRandomSource random, BigInteger magnitude, BigInteger a, BigInteger b, BigInteger t, BigInteger denominator)
    {
        // Spec: CKS20 Algorithm 3, γ = (|Y| - σ²/t)² / (2σ²) = (|Y|·t·b - a)² / (2·a·b·t²) with σ² = a/b.
        var difference = (magnitude * t * b) - a;
        return ExactBernoulli.SampleExpMinus(random, difference * difference, denominator);
    }
}
