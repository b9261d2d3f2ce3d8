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
    private readonly Dictionary<string, int> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _partitionLookup;
    private readonly List<string> _partitionKeys = [];

    public AggregateTotals(AggregatePlan plan)
    {
        Plan = plan;
        // Partition selection starts with no group: each value the data has becomes one (Partition).
        var groups = plan.PartitionThreshold is null ? plan.GroupCount : 0;
        Distinct = new long[groups];
        Rows = plan.HasRows ? new long[groups] : [];
        Summed = [.. plan.Measures.Where(m => m.Kind is MeasureKind.Sum or MeasureKind.Mean)];
        Sums = [.. Summed.Select(_ => new Int128[groups])];
        Ranked = [.. plan.Measures.Where(m => m.Search is not null)];
        Ranks = [.. Ranked.Select(_ => new Dictionary<long, long>?[groups])];
        _partitionLookup = _partitions.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public AggregatePlan Plan { get; }

    /// <summary>Gets the number of groups: the plan's, or under partition selection the values met so far.</summary>
    public int GroupCount => Plan.PartitionThreshold is null ? Plan.GroupCount : _partitionKeys.Count;

    /// <summary>Gets the distinct entities per group (grown as partition selection meets values: read it after <see cref="Partition"/>).</summary>
    public long[] Distinct { get; private set; }

    /// <summary>Gets the rows per group; empty when no measure counts rows.</summary>
    public long[] Rows { get; private set; }

    /// <summary>Gets the sum and mean measures, in the plan's order.</summary>
    public AggregatePlan.CompiledMeasure[] Summed { get; }

    /// <summary>Gets, per measure of <see cref="Summed"/>, the clamped sum per group.</summary>
    public Int128[][] Sums { get; }

    /// <summary>Gets the quantile measures, in the plan's order.</summary>
    public AggregatePlan.CompiledMeasure[] Ranked { get; }

    /// <summary>Gets, per measure of <see cref="Ranked"/> and group, how many counted rows have each clamped value (null while none).</summary>
    /// <remarks>Memory: one entry per distinct clamped value in each group, so a quantile is bounded by the values, not only the groups.</remarks>
    public Dictionary<long, long>?[][] Ranks { get; }

    /// <summary>Under partition selection, the group of a dimension value (as it leaves), made on first sight.</summary>
    /// <remarks>Memory: one group per distinct value met, so O(the dimension's distinct values), as the columnar copy's dictionary.</remarks>
    public int Partition(ReadOnlySpan<char> value)
    {
        if (_partitionLookup.TryGetValue(value, out var group))
        {
            return group;
        }

        group = _partitionKeys.Count;
        var key = value.ToString();
        _partitions.Add(key, group);
        _partitionKeys.Add(key);
        if (group == Distinct.Length)
        {
            var size = Math.Max(16, group * 2);
            Distinct = Grown(Distinct, size);
            Rows = Plan.HasRows ? Grown(Rows, size) : Rows;
            for (var i = 0; i < Sums.Length; i++)
            {
                Sums[i] = Grown(Sums[i], size);
            }

            for (var i = 0; i < Ranks.Length; i++)
            {
                Ranks[i] = Grown(Ranks[i], size);
            }
        }

        return group;
    }

    private static T[] Grown<T>(T[] array, int size)
    {
        var grown = new T[size];
        array.CopyTo(grown, 0);
        return grown;
    }

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
        foreach (var group in Candidates())
        {
            var distinct = Distinct[group] + distinctNoise(random);
            if (Plan.PartitionThreshold is { } threshold && distinct < threshold)
            {
                // Security: not counted as suppressed; the count of groups below the threshold is not differentially private.
                continue;
            }

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

    // Declared domains: every group, in domain order. Partition selection: only the groups some counted entity is in
    // (the rest do not exist, so they draw no noise), in the ordinal order of their keys, so both paths draw alike.
    private IEnumerable<int> Candidates() => Plan.PartitionThreshold is null
        ? Enumerable.Range(0, Plan.GroupCount)
        : Enumerable.Range(0, GroupCount).Where(g => Distinct[g] > 0).OrderBy(g => _partitionKeys[g], StringComparer.Ordinal);

    private string[] Key(int group)
    {
        if (Plan.PartitionThreshold is not null)
        {
            return [_partitionKeys[group]];
        }

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
