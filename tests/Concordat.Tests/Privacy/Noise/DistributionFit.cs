namespace Concordat.Tests.Privacy.Noise;

/// <summary>
/// Chi-square and Kolmogorov–Smirnov checks of integer samples against an exact probability mass function, at a
/// significance level of 0.001 (the samples come from a fixed seed, so a pass is reproducible).
/// </summary>
internal sealed class DistributionFit
{
    // z for an upper tail of 0.001, used in the Wilson–Hilferty approximation of the chi-square quantile.
    private const double UpperZ = 3.0902;

    // Kolmogorov's asymptotic critical value for α = 0.001 (conservative for discrete distributions).
    private const double KolmogorovCritical = 1.9495;

    private const double MinimumExpectedCount = 5;

    private readonly long _low;
    private readonly long _width;
    private readonly double[] _expected;

    /// <summary>Tabulates the distribution over fine buckets of <paramref name="width"/> integers in [low, high].</summary>
    /// <param name="weight">The unnormalised mass of each integer.</param>
    /// <param name="low">The lowest integer tabulated; the mass below it goes to the first bucket.</param>
    /// <param name="high">The highest integer tabulated; the mass above it goes to the last bucket.</param>
    /// <param name="width">How many consecutive integers share a bucket.</param>
    public DistributionFit(Func<long, double> weight, long low, long high, long width = 1)
    {
        _low = low;
        _width = width;
        _expected = new double[((high - low) / width) + 1];
        var total = 0.0;
        for (var x = low; x <= high; x++)
        {
            var w = weight(x);
            _expected[Bucket(x)] += w;
            total += w;
        }

        for (var i = 0; i < _expected.Length; i++)
        {
            _expected[i] /= total;
        }
    }

    /// <summary>Fails unless both tests accept the samples.</summary>
    /// <param name="samples">The samples.</param>
    public void AssertFits(IReadOnlyList<long> samples)
    {
        var observed = new long[_expected.Length];
        foreach (var sample in samples)
        {
            observed[Bucket(sample)]++;
        }

        var n = samples.Count;
        var (chiSquare, degrees) = ChiSquare(observed, n);
        var critical = degrees * Math.Pow(1 - (2.0 / (9 * degrees)) + (UpperZ * Math.Sqrt(2.0 / (9 * degrees))), 3);
        Assert.True(chiSquare < critical, $"chi-square {chiSquare:F2} with {degrees} degrees of freedom exceeds {critical:F2}");

        var distance = KolmogorovSmirnov(observed, n);
        var limit = KolmogorovCritical / Math.Sqrt(n);
        Assert.True(distance < limit, $"Kolmogorov–Smirnov distance {distance:F5} exceeds {limit:F5}");
    }

    private int Bucket(long x) => (int)Math.Clamp((x - _low) / _width, 0, _expected.Length - 1);

    private (double Statistic, int Degrees) ChiSquare(long[] observed, int n)
    {
        // Adjacent fine buckets are merged until each expects at least five samples, as the test requires.
        var statistic = 0.0;
        var cells = 0;
        var pendingExpected = 0.0;
        long pendingObserved = 0;
        var remaining = (double)n;
        for (var i = 0; i < _expected.Length; i++)
        {
            pendingExpected += _expected[i] * n;
            pendingObserved += observed[i];
            remaining -= _expected[i] * n;
            if (pendingExpected >= MinimumExpectedCount && remaining >= MinimumExpectedCount)
            {
                statistic += Math.Pow(pendingObserved - pendingExpected, 2) / pendingExpected;
                cells++;
                pendingExpected = 0;
                pendingObserved = 0;
            }
        }

        statistic += Math.Pow(pendingObserved - pendingExpected, 2) / pendingExpected;
        cells++;
        Assert.True(cells >= 3, "too few cells for a chi-square test");
        return (statistic, cells - 1);
    }

    private double KolmogorovSmirnov(long[] observed, int n)
    {
        var distance = 0.0;
        var empirical = 0.0;
        var exact = 0.0;
        for (var i = 0; i < _expected.Length; i++)
        {
            empirical += (double)observed[i] / n;
            exact += _expected[i];
            distance = Math.Max(distance, Math.Abs(empirical - exact));
        }

        return distance;
    }
}
