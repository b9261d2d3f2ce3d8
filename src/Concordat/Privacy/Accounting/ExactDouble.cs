using System.Numerics;
using Concordat.Privacy.Noise;

namespace Concordat.Privacy.Accounting;

/// <summary>The exact value of a finite double as a rational (every double is a dyadic rational).</summary>
internal static class ExactDouble
{
    /// <summary>Returns the exact value of a finite, non-negative double.</summary>
    /// <param name="value">The double.</param>
    /// <returns>The rational with exactly that value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or not a number.</exception>
    public static Rational ToRational(double value)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "the value must be finite and non-negative");
        }

        // Spec: IEEE 754 binary64: 52 fraction bits, an 11-bit exponent biased by 1023, subnormals at exponent 0.
        var bits = BitConverter.DoubleToInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFF;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        return exponent >= 0
            ? Rational.FromInteger(new BigInteger(mantissa) << exponent)
            : new Rational(mantissa, BigInteger.One << -exponent);
    }

    /// <summary>Returns the largest double at most <paramref name="value"/>, for a positive rational within the doubles' range.</summary>
    /// <param name="value">The rational.</param>
    /// <returns>The double, never above the rational (a δ rounded down only loosens the bound it enters).</returns>
    public static double ToDoubleBelow(Rational value)
    {
        var nearest = Math.Exp(BigInteger.Log(value.Numerator) - BigInteger.Log(value.Denominator));
        var candidate = Math.BitIncrement(Math.BitIncrement(nearest));
        while (candidate > 0 && !(ToRational(candidate) <= value))
        {
            candidate = Math.BitDecrement(candidate);
        }

        return candidate;
    }
}
