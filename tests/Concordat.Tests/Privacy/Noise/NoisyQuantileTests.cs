using Concordat.Privacy.Noise;
using Concordat.Testing.Privacy;

namespace Concordat.Tests.Privacy.Noise;

public sealed class NoisyQuantileTests
{
    private const int SampleCount = 20_000;

    // 200 values on [0, 100]: a dense middle and sparse tails, so the search's answers spread over many values.
    private static readonly long[] s_values = [.. Enumerable.Range(0, 200).Select(i => (long)Math.Clamp(50 + ((i % 2 == 0 ? 1 : -1) * (i * i % 61)), 0, 100))];

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 1, 1)]
    [InlineData(0, 120, 7)]
    [InlineData(1, 128, 7)]
    [InlineData(0, 128, 8)]
    [InlineData(-1_000_000_000_000, 1_000_000_000_000, 41)]
    public void StepsFor_Domain_IsTheCeilingOfLog2OfItsSize(long lower, long upper, int steps)
    {
        Assert.Equal(steps, NoisyQuantile.StepsFor(lower, upper));
    }

    [Theory]
    [InlineData("1/2", 50)]
    [InlineData("1/4", 25)]
    [InlineData("1/100", 1)]
    [InlineData("1", 100)]
    public void Search_NoNoise_FindsTheSmallestValueWithAtLeastTheQuantilesShareAtOrBelowIt(string quantile, long expected)
    {
        var search = new NoisyQuantile(Parse(quantile), -5, 300);
        long[] values = [.. Enumerable.Range(1, 100)];

        var found = search.Search(c => values.Count(v => v <= c), values.Length, _ => 0, new SeededRandomSource(1));

        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3/2")]
    [InlineData("1/1001")]
    public void IsValid_OutOfRangeOrTooFineQuantile_IsFalse(string quantile)
    {
        Assert.False(NoisyQuantile.IsValid(Parse(quantile)));
    }

    [Theory]
    [InlineData("1/2", "16", 21UL)]
    [InlineData("3/4", "64", 22UL)]
    [InlineData("1/2", "900", 23UL)]
    public void Search_DiscreteGaussianNoise_FitsTheExactDistributionOfItsAnswers(string quantile, string sigmaSquared, ulong seed)
    {
        var q = Parse(quantile);
        var variance = Parse(sigmaSquared);
        var sigma = Math.Sqrt((double)variance.Numerator / (double)variance.Denominator);
        var gaussian = new DiscreteGaussian(variance);
        var search = new NoisyQuantile(q, 0, 100);
        var expected = ExactAnswers(q, 0, 100, x => Math.Exp(-((double)x * x) / (2 * sigma * sigma)), (long)Math.Ceiling(14 * sigma) + 2);

        var answers = Draw(search, gaussian.Sample, seed);

        new DistributionFit(x => expected[x], 0, 100).AssertFits(answers);
        var mostLikely = expected.MaxBy(p => p.Value).Key;
        Assert.InRange(mostLikely, TrueQuantile(q) - 1, TrueQuantile(q) + 1);
    }

    [Fact]
    public void Search_DiscreteLaplaceNoise_FitsTheExactDistributionAndPeaksAtTheTrueMedian()
    {
        var scale = Parse("8");
        var laplace = new DiscreteLaplace(scale);
        var search = new NoisyQuantile(Parse("1/2"), 0, 100);
        var expected = ExactAnswers(Parse("1/2"), 0, 100, x => Math.Exp(-Math.Abs((double)x) / 8), 400);

        var answers = Draw(search, laplace.Sample, 24);

        new DistributionFit(x => expected[x], 0, 100).AssertFits(answers);
        var median = TrueQuantile(Parse("1/2"));
        Assert.InRange(answers.GroupBy(a => a).MaxBy(g => g.Count())!.Key, median - 2, median + 2);
        Assert.True(answers.Count(a => Math.Abs(a - median) <= 5) > answers.Count / 2);
    }

    // The exact probability of each answer: the search's tree walked with each step's chance of a non-negative noisy score.
    private static Dictionary<long, double> ExactAnswers(Rational q, long lower, long upper, Func<long, double> weight, long reach)
    {
        var mass = Enumerable.Range(0, (int)(2 * reach) + 1).Select(i => weight(i - reach)).ToArray();
        var total = mass.Sum();
        var (a, b) = ((long)q.Numerator, (long)q.Denominator);
        var answers = Enumerable.Range((int)lower, (int)(upper - lower + 1)).ToDictionary(v => (long)v, _ => 0.0);
        Walk(lower, upper, 1.0);
        return answers;

        void Walk(long low, long high, double probability)
        {
            if (low == high)
            {
                answers[low] += probability;
                return;
            }

            var middle = (low + high) >> 1;
            var score = (b * s_values.Count(v => v <= middle)) - (a * s_values.Length);
            // P[score + noise ≥ 0] = P[noise ≥ −score].
            var atLeast = mass.Where((_, i) => i - reach >= -score).Sum() / total;
            Walk(low, middle, probability * atLeast);
            Walk(middle + 1, high, probability * (1 - atLeast));
        }
    }

    private static long TrueQuantile(Rational q) =>
        Enumerable.Range(0, 101).First(c => (long)q.Denominator * s_values.Count(v => v <= c) >= (long)q.Numerator * s_values.Length);

    private static List<long> Draw(NoisyQuantile search, Func<IRandomSource, long> noise, ulong seed)
    {
        var source = new SeededRandomSource(seed);
        var below = new long[102];
        for (var c = 0; c < 101; c++)
        {
            below[c + 1] = below[c] + s_values.Count(v => v == c);
        }

        var answers = new List<long>(SampleCount);
        for (var i = 0; i < SampleCount; i++)
        {
            answers.Add(search.Search(c => below[Math.Clamp(c, -1, 100) + 1], s_values.Length, noise, source));
        }

        return answers;
    }

    private static Rational Parse(string text) => Rational.TryParse(text, out var value) ? value : throw new FormatException(text);
}
