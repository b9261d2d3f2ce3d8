using Concordat.Privacy.Noise;
using Concordat.Testing.Privacy;

namespace Concordat.Tests.Privacy.Noise;

public sealed class DiscreteLaplaceTests
{
    private const int SampleCount = 20_000;

    public static TheoryData<string, ulong> Scales() => new()
    {
        { "1/3", 11 },
        { "1", 12 },
        { "7/2", 13 },
        { "10", 14 },
    };

    [Theory]
    [MemberData(nameof(Scales))]
    public void Sample_Scale_FitsTheExactPmfAtEveryInteger(string scale, ulong seed)
    {
        var laplace = new DiscreteLaplace(Parse(scale));
        var b = (double)laplace.Scale.Numerator / (double)laplace.Scale.Denominator;
        var reach = (long)Math.Ceiling(40 * b) + 2;
        var fit = new DistributionFit(x => Math.Exp(-Math.Abs(x) / b), -reach, reach);

        var samples = Draw(laplace, seed);

        fit.AssertFits(samples);
    }

    [Fact]
    public void Sample_LargeScale_FitsTheExactPmfInBuckets()
    {
        var fit = new DistributionFit(x => Math.Exp(-Math.Abs(x) / 1000.0), -20_000, 19_999, 250);

        var samples = Draw(new DiscreteLaplace(Parse("1000")), 15);

        fit.AssertFits(samples);
    }

    [Fact]
    public void Sample_SameSeed_SameSamples()
    {
        var laplace = new DiscreteLaplace(Parse("5/2"));
        var source = new SeededRandomSource(3);
        var first = Enumerable.Range(0, 100).Select(_ => laplace.Sample(source)).ToList();

        var again = new SeededRandomSource(3);

        Assert.All(first, expected => Assert.Equal(expected, laplace.Sample(again)));
    }

    private static Rational Parse(string text) => Rational.TryParse(text, out var value) ? value : throw new FormatException(text);

    private static List<long> Draw(DiscreteLaplace laplace, ulong seed)
    {
        var source = new SeededRandomSource(seed);
        var samples = new List<long>(SampleCount);
        for (var i = 0; i < SampleCount; i++)
        {
            samples.Add(laplace.Sample(source));
        }

        return samples;
    }
}
