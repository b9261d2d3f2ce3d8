using Concordat.Privacy.Noise;

namespace Concordat.Tests.Privacy.Noise;

public sealed class PartitionSelectionTests
{
    [Theory]
    // Laplace of scale t: τ − 1 is the least m with e^(m/t) ≥ k/δ, i.e. ⌈t·ln(k/δ)⌉ (ln 1000 = 6.91, ln 10^6 = 13.82).
    [InlineData("1", 1, "1/1000", 8)]
    [InlineData("1", 1, "1/1000000", 15)]
    [InlineData("10", 1, "1/1000000", 140)]
    [InlineData("1", 4, "1/1000000", 17)]
    [InlineData("1/2", 1, "1/1000000", 8)]
    public void LaplaceThreshold_MatchesTheClosedFormOfTheTailBound(string scale, int k, string delta, long expected)
    {
        Assert.Equal(expected, PartitionSelection.LaplaceThreshold(Parse(scale), k, Parse(delta)));
    }

    [Theory]
    // Gaussian of σ²: τ − 1 is the least m with m²/(2σ²) ≥ ln(k/δ), i.e. ⌈σ·√(2 ln(k/δ))⌉ (√(2·13.82) = 5.26).
    [InlineData("1/2", 1, "1/1000000", 5)]
    [InlineData("1", 1, "1/1000000", 7)]
    [InlineData("100", 1, "1/1000000", 54)]
    [InlineData("10000", 1, "1/1000000", 527)]
    public void GaussianThreshold_MatchesTheClosedFormOfTheTailBound(string sigmaSquared, int k, string delta, long expected)
    {
        Assert.Equal(expected, PartitionSelection.GaussianThreshold(Parse(sigmaSquared), k, Parse(delta)));
    }

    [Fact]
    public void GaussianThreshold_TinyDeltaAndLargeVariance_StaysExactAndFinite()
    {
        var threshold = PartitionSelection.GaussianThreshold(Rational.FromInteger(1_000_000_000_000), 16, PartitionSelection.MinDelta);

        // σ = 10^6 and ln(16·10^100) = 233.03: τ = ⌈10^6·√(2·233.03)⌉ + 1 = 21,588,475, or a little more from the Taylor bound's slack.
        Assert.InRange(threshold, 21_588_475, 21_588_490);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("3/2")]
    public void IsValid_DeltaOutsideItsRange_IsFalse(string delta)
    {
        Assert.False(PartitionSelection.IsValid(Parse(delta)));
    }

    private static Rational Parse(string text) => Rational.TryParse(text, out var value) ? value : throw new ArgumentException(text);
}
