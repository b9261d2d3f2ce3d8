using System.Numerics;
using Concordat.Privacy.Noise;

namespace Concordat.Tests.Privacy.Noise;

public sealed class RationalTests
{
    [Theory]
    [InlineData("2.5", "5/2")]
    [InlineData("0.25", "1/4")]
    [InlineData(".5", "1/2")]
    [InlineData("6/4", "3/2")]
    [InlineData("1000000", "1000000")]
    [InlineData("0", "0")]
    public void TryParse_Text_ReadsTheExactValue(string text, string expected)
    {
        Assert.True(Rational.TryParse(text, out var value));

        Assert.Equal(expected, value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1/0")]
    [InlineData("1e3")]
    [InlineData("2.")]
    [InlineData("1/2/3")]
    [InlineData(" 1")]
    public void TryParse_NotANonNegativeRational_Fails(string text)
    {
        Assert.False(Rational.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(15, 3)]
    [InlineData(16, 4)]
    [InlineData(1_000_000_000_000, 1_000_000)]
    public void IntegerSquareRoot_Value_IsTheFloorOfTheRoot(long value, long expected)
    {
        Assert.Equal(new BigInteger(expected), Rational.IntegerSquareRoot(value));
    }

    [Fact]
    public void Operators_AreExact()
    {
        var third = new Rational(1, 3);

        Assert.Equal(Rational.FromInteger(1), third + third + third);
        Assert.Equal(new Rational(1, 9), third * third);
        Assert.Equal(Rational.FromInteger(3), Rational.FromInteger(1) / third);
        Assert.True(third <= new Rational(2, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => third - Rational.FromInteger(1));
    }
}
