using System.Numerics;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Tests.Privacy.Accounting;

public sealed class ExactDoubleTests
{
    [Fact]
    public void ToRational_Doubles_AreExact()
    {
        Assert.Equal(new Rational(1, 32), ExactDouble.ToRational(1.0 / 32));
        Assert.Equal(Rational.FromInteger(3), ExactDouble.ToRational(3));
        Assert.Equal(Rational.Zero, ExactDouble.ToRational(0));
        Assert.Equal(new Rational(3602879701896397, BigInteger.One << 55), ExactDouble.ToRational(0.1));
        Assert.Equal(new Rational(1, BigInteger.One << 1074), ExactDouble.ToRational(double.Epsilon));
    }

    [Fact]
    public void ToRational_NegativeOrNotFinite_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactDouble.ToRational(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactDouble.ToRational(double.NaN));
    }
}
