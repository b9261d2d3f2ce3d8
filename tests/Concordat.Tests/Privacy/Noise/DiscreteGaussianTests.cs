using System.Numerics;
using Concordat.Privacy.Noise;
using Concordat.Testing.Privacy;

namespace Concordat.Tests.Privacy.Noise;

public sealed class DiscreteGaussianTests
{
    private const int SampleCount = 20_000;

    public static TheoryData<string, ulong> SmallSigmas() => new()
    {
        { "1/4", 1 },
        { "4", 2 },
        { "100", 3 },
    };

    public static TheoryData<string, long, ulong> LargeSigmas() => new()
    {
        { "1000000", 1000, 4 },
        { "1000000000000", 1_000_000, 5 },
    };

    [Theory]
    [MemberData(nameof(SmallSigmas))]
    public void Sample_SmallSigma_FitsTheExactPmfAtEveryInteger(string sigmaSquared, ulong seed)
    {
        var variance = Parse(sigmaSquared);
        var sigma = Math.Sqrt((double)variance.Numerator / (double)variance.Denominator);
        var reach = (long)Math.Ceiling(12 * sigma) + 2;
        var fit = new DistributionFit(x => Weight(x, sigma), -reach, reach);

        var samples = Draw(new DiscreteGaussian(variance), seed);

        fit.AssertFits(samples);
    }

    [Theory]
    [MemberData(nameof(LargeSigmas))]
    public void Sample_LargeSigma_FitsTheExactPmfInBucketsOfAQuarterSigma(string sigmaSquared, long sigma, ulong seed)
    {
        var fit = new DistributionFit(x => Weight(x, sigma), -8 * sigma, (8 * sigma) - 1, sigma / 4);

        var samples = Draw(new DiscreteGaussian(Parse(sigmaSquared)), seed);

        fit.AssertFits(samples);
    }

    [Fact]
    public void Sample_SameSeed_SameSamples()
    {
        var gaussian = new DiscreteGaussian(Parse("9/4"));

        var first = Enumerable.Range(0, 100).Select(_ => 0L).ToArray();
        var source = new SeededRandomSource(7);
        for (var i = 0; i < first.Length; i++)
        {
            first[i] = gaussian.Sample(source);
        }

        var again = new SeededRandomSource(7);
        Assert.All(first, expected => Assert.Equal(expected, gaussian.Sample(again)));
    }

    [Fact]
    public void Sample_BeyondTheFastPath_FitsTheExactPmf()
    {
        // A denominator this large sends every sample through the arbitrary-precision path.
        var variance = new Rational(BigInteger.Pow(10, 40) * 4, BigInteger.Pow(10, 40));
        var fit = new DistributionFit(x => Weight(x, 2), -30, 30);

        var samples = Draw(new DiscreteGaussian(variance), 6);

        fit.AssertFits(samples);
    }

    [Fact]
    public void Constructor_ZeroVariance_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiscreteGaussian(Rational.Zero));
    }

    private static double Weight(long x, double sigma) => Math.Exp(-((double)x * x) / (2 * sigma * sigma));

    private static Rational Parse(string text) => Rational.TryParse(text, out var value) ? value : throw new FormatException(text);

    private static List<long> Draw(DiscreteGaussian gaussian, ulong seed)
    {
        var source = new SeededRandomSource(seed);
        var samples = new List<long>(SampleCount);
        for (var i = 0; i < SampleCount; i++)
        {
            samples.Add(gaussian.Sample(source));
        }

        return samples;
    }
}
