using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;

namespace Concordat.Data.Aggregates;

/// <summary>
/// The exact totals of one pass, per group: distinct entities, rows, and one clamped sum per sum or mean measure; the
/// row path and the columnar path of <see cref="Aggregator"/> fill the same totals, and <see cref="Release"/> noises them.
/// </summary>
/// <remarks>Security: the exact totals never leave the assembly; only <see cref="Release"/>'s noisy values do.</remarks>
internal sealed class AggregateTotals
{
    public AggregateTotals(AggregatePlan plan)
    {
        Plan = plan;
        Distinct = new long[plan.GroupCount];
        Rows = plan.HasRows ? new long[plan.GroupCount] : [];
        Summed = [.. plan.Measures.Where(m => m.Kind is MeasureKind.Sum or MeasureKind.Mean)];
        Sums = [.. Summed.Select(_ => new Int128[plan.GroupCount])];
        Ranked = [.. plan.Measures.Where(m => m.Search is not null)];
        Ranks = [.. Ranked.Select(_ => new Dictionary<long, long>?[plan.GroupCount])];
    }

    public AggregatePlan Plan { get; }

    /// <summary>Gets the distinct entities per group.</summary>
    public long[] Distinct { get; }

    /// <summary>Gets the rows per group; empty when no measure counts rows.</summary>
    public long[] Rows { get; }

    /// <summary>Gets the sum and mean measures, in the plan's order.</summary>
    public AggregatePlan.CompiledMeasure[] Summed { get; }

    /// <summary>Gets, per measure of <see cref="Summed"/>, the clamped sum per group.</summary>
    public Int128[][] Sums { get; }

    /// <summary>Gets the quantile measures, in the plan's order.</summary>
    public AggregatePlan.CompiledMeasure[] Ranked { get; }

    /// <summary>Gets, per measure of <see cref="Ranked"/> and group, how many counted rows have each clamped value (null while none).</summary>
    /// <remarks>Memory: one entry per distinct clamped value in each group, so a quantile is bounded by the values, not only the groups.</remarks>
    public Dictionary<long, long>?[][] Ranks { get; }

    /// <summary>Counts one row's clamped value for quantile measure <paramref name="measure"/> in <paramref name="group"/>.</summary>
    public void Rank(int measure, int group, long value)
    {
        var counts = Ranks[measure][group] ??= [];
        counts[value] = counts.GetValueOrDefault(value) + 1;
    }

    /// <summary>Adds noise to every group and suppresses those whose noisy distinct-entity count is below the minimum group size.</summary>
    /// <param name="random">The randomness of the noise.</param>
    /// <returns>The noisy result.</returns>
    // Invariant: the draws are made in group order, distinct count first, so both paths give the same answer from the same seed.
    public AggregateResult Release(IRandomSource random)
    {
        var releases = Plan.Releases;
        var distinctNoise = Sampler(releases[0]);
        var rowsNoise = Plan.HasRows ? Sampler(releases[1]) : null;
        var sumNoise = releases.Skip(Plan.HasRows ? 2 : 1).Take(Summed.Length).Select(Sampler).ToArray();
        var rankNoise = new Func<IRandomSource, long>?[Ranked.Length];
        var next = (Plan.HasRows ? 2 : 1) + Summed.Length;
        for (var i = 0; i < Ranked.Length; i++)
        {
            // Every step of one search has the same noise; a search over one value has no step and draws none.
            var steps = NoisyQuantile.StepsFor(Ranked[i].Lower, Ranked[i].Upper);
            rankNoise[i] = steps == 0 ? null : Sampler(releases[next]);
            next += steps;
        }

        var measures = Plan.Query.Measures;
        var groups = new List<AggregateGroup>();
        var suppressed = 0;
        var sums = new Int128[Sums.Length];
        for (var group = 0; group < Plan.GroupCount; group++)
        {
            var distinct = Distinct[group] + distinctNoise(random);
            if (Plan.MinGroupSize is { } minimum && distinct < minimum)
            {
                suppressed++;
                continue;
            }

            var rowCount = rowsNoise is null ? 0 : Rows[group] + rowsNoise(random);
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] = Sums[i][group] + sumNoise[i](random);
            }

            var values = new decimal[measures.Count];
            var summed = 0;
            var ranked = 0;
            for (var i = 0; i < measures.Count; i++)
            {
                values[i] = measures[i].Kind switch
                {
                    MeasureKind.CountDistinct => distinct,
                    MeasureKind.Count => rowCount,
                    MeasureKind.Sum => (decimal)sums[summed++],
                    MeasureKind.Mean => Mean(sums[summed++], rowCount, measures[i]),
                    _ => Quantile(ranked, group, rankNoise[ranked++], random),
                };
            }

            groups.Add(new AggregateGroup(Key(group), values));
        }

        return new AggregateResult(Plan.Query.Dimensions.Select(d => d.Field.Value).ToArray(), measures.Select(m => m.Name).ToArray(), groups, suppressed);
    }

    // Post-processing of two noisy releases, which costs nothing: the mean is kept within the clamping bounds.
    private static decimal Mean(Int128 sum, long count, AggregateMeasure measure) =>
        Math.Round(Math.Clamp((decimal)sum / Math.Max(1, count), measure.Lower, measure.Upper), 6, MidpointRounding.ToEven);

    // The search reads the group's exact counts through a sorted copy of its values; only the chosen value leaves.
    private long Quantile(int measure, int group, Func<IRandomSource, long>? noise, IRandomSource random)
    {
        var search = Ranked[measure].Search!;
        var counts = Ranks[measure][group];
        var values = counts is null ? [] : counts.Keys.Order().ToArray();
        var below = new long[values.Length + 1];
        for (var i = 0; i < values.Length; i++)
        {
            below[i + 1] = below[i] + counts![values[i]];
        }

        long CountAtMost(long value)
        {
            var index = Array.BinarySearch(values, value);
            return below[index >= 0 ? index + 1 : ~index];
        }

        return noise is null ? search.Lower : search.Search(CountAtMost, below[^1], noise, random);
    }

    private static Func<IRandomSource, long> Sampler(NoiseRelease release)
    {
        if (release.Mechanism == NoiseMechanism.DiscreteGaussian)
        {
            var gaussian = new DiscreteGaussian(release.Parameter);
            return gaussian.Sample;
        }

        var laplace = new DiscreteLaplace(release.Parameter);
        return laplace.Sample;
    }

    private string[] Key(int group)
    {
        var dimensions = Plan.Dimensions;
        var key = new string[dimensions.Length];
        for (var i = dimensions.Length - 1; i >= 0; i--)
        {
            var size = dimensions[i].Domain.Count;
            key[i] = dimensions[i].Domain[group % size];
            group /= size;
        }

        return key;
    }
}
