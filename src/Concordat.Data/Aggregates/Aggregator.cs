using System.Runtime.CompilerServices;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Privacy.Noise;

namespace Concordat.Data.Aggregates;

/// <summary>
/// Runs an <see cref="AggregatePlan"/> over the stored rows of a dataset version in one pass, bounds each entity's
/// contribution, adds exact discrete noise to every group and suppresses the groups whose noisy distinct-entity count is
/// below the minimum group size.
/// </summary>
/// <remarks>
/// <para>
/// Rows are read one at a time (<see cref="DatasetRowReader"/>); the row rules of the plan's egress plan withhold rows
/// first. Contribution bounding is per entity and first come: an entity's first <c>maxGroupsPerEntity</c> groups
/// count, and in each its first <c>maxRowsPerGroup</c> rows; the rest of its rows are left out. Whether a row counts
/// depends on that entity's rows only, so adding or removing one entity changes at most k groups by at most Δ each,
/// which is the sensitivity the releases are priced at.
/// </para>
/// <para>
/// Memory: the accumulators take O(groups); the contribution state takes O(entities · k) (a pass over rows not sorted by
/// entity must remember each entity's groups).
/// </para>
/// <para>
/// Security: suppression compares the noisy distinct-entity count, never the exact one, since suppressing on exact
/// counts would reveal whether a group reached the threshold. The true counts and sums never leave this method.
/// </para>
/// </remarks>
public static class Aggregator
{
    /// <summary>Runs the plan over <paramref name="rows"/>.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="rows">The stored rows; their schema MUST match the plan's egress plan.</param>
    /// <param name="random">The randomness of the noise: a <see cref="CryptoRandomSource"/> in production.</param>
    /// <param name="cancellationToken">Stops the pass.</param>
    /// <returns>The noisy result.</returns>
    /// <exception cref="InvalidOperationException">The rows' schema differs from the plan's.</exception>
    /// <exception cref="OperationCanceledException">The pass was cancelled.</exception>
    public static async Task<AggregateResult> RunAsync(AggregatePlan plan, DatasetRowReader rows, IRandomSource random, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(random);
        var totals = await TotalAsync(plan, rows, cancellationToken).ConfigureAwait(false);
        return totals.Release(random);
    }

    /// <summary>Runs the plan over a columnar copy of the rows: the same answer as the row path, in a fraction of the time.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="columns">The columnar copy, built under the row rules of the plan's egress plan.</param>
    /// <param name="random">The randomness of the noise: a <see cref="CryptoRandomSource"/> in production.</param>
    /// <param name="cancellationToken">Stops the pass.</param>
    /// <returns>The noisy result.</returns>
    /// <exception cref="InvalidOperationException">The copy's schema or row rules differ from the plan's.</exception>
    /// <exception cref="OperationCanceledException">The pass was cancelled.</exception>
    public static AggregateResult Run(AggregatePlan plan, AggregateColumns columns, IRandomSource random, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(random);
        return ColumnarAggregator.Total(plan, columns, cancellationToken).Release(random);
    }

    /// <summary>The exact totals of the row path, before noise.</summary>
    internal static async Task<AggregateTotals> TotalAsync(AggregatePlan plan, DatasetRowReader rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        if (!plan.Egress.Matches(rows.Schema))
        {
            // Security: rules compiled for other fields could let a new or renamed field be measured untouched.
            throw new InvalidOperationException("the stored dataset's fields differ from the agreement's definition of it");
        }

        var state = new State(plan);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            state.AddBuffered(rows);
            if (!await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            state.Add(rows);
        }

        return state.Totals;
    }

    private sealed class State
    {
        private readonly AggregatePlan _plan;
        private readonly Int128[][] _sums;
        private readonly AggregatePlan.CompiledMeasure[] _summed;
        private readonly Dictionary<string, Contribution> _entities = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Contribution>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private readonly Utf8KeyBuffer _chars = new();

        public State(AggregatePlan plan)
        {
            _plan = plan;
            Totals = new AggregateTotals(plan);
            _summed = Totals.Summed;
            _sums = Totals.Sums;
            _lookup = _entities.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public AggregateTotals Totals { get; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AddBuffered(DatasetRowReader rows)
        {
            // Invariant: at most one buffer of rows between cancellation checks and awaited reads.
            while (rows.TryReadBuffered())
            {
                Add(rows);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(DatasetRowReader rows)
        {
            if (_plan.Egress.Admit(rows) != RowAdmission.Admitted || rows.IsNull(_plan.EntityIndex))
            {
                return;
            }

            foreach (var filter in _plan.Filters)
            {
                if (!filter.Matches(rows))
                {
                    return;
                }
            }

            // A semi-join: the row counts only when its key's pseudonym is one of the recipient's table's.
            if (_plan.Join is { } join && (rows.IsNull(join.SourceIndex) || !join.Table.Contains(rows.GetValue(join.SourceIndex))))
            {
                return;
            }

            var group = 0;
            foreach (var dimension in _plan.Dimensions)
            {
                var index = rows.IsNull(dimension.SourceIndex) ? -1 : dimension.IndexOf(rows.GetValue(dimension.SourceIndex), Totals);
                if (index < 0)
                {
                    return;
                }

                group = (group * dimension.Domain.Count) + index;
            }

            if (!Entity(rows.GetValue(_plan.EntityIndex)).TryTake(group, _plan.Query.MaxRowsPerGroup, out var isNewGroup))
            {
                return;
            }

            // Invariant: read through Totals, whose arrays partition selection grows as it meets values.
            if (isNewGroup)
            {
                Totals.Distinct[group]++;
            }

            if (_plan.HasRows)
            {
                Totals.Rows[group]++;
            }

            for (var i = 0; i < _summed.Length; i++)
            {
                var measure = _summed[i];
                _sums[i][group] += rows.IsNull(measure.SourceIndex) ? measure.Clamp([]) : measure.Clamp(rows.GetValue(measure.SourceIndex));
            }

            for (var i = 0; i < Totals.Ranked.Length; i++)
            {
                var measure = Totals.Ranked[i];
                Totals.Rank(i, group, rows.IsNull(measure.SourceIndex) ? measure.Clamp([]) : measure.Clamp(rows.GetValue(measure.SourceIndex)));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Contribution Entity(ReadOnlySpan<byte> key)
        {
            var chars = _chars.Decode(key);
            if (!_lookup.TryGetValue(chars, out var contribution))
            {
                contribution = new Contribution(_plan.Query.MaxGroupsPerEntity);
                _lookup[chars] = contribution;
            }

            return contribution;
        }
    }

    // One entity's groups so far and its rows counted in each.
    private sealed class Contribution(int maxGroups)
    {
        private readonly int[] _groups = new int[maxGroups];
        private readonly int[] _rows = new int[maxGroups];
        private int _count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryTake(int group, int maxRows, out bool isNewGroup)
        {
            isNewGroup = false;
            for (var i = 0; i < _count; i++)
            {
                if (_groups[i] == group)
                {
                    if (_rows[i] >= maxRows)
                    {
                        return false;
                    }

                    _rows[i]++;
                    return true;
                }
            }

            if (_count == _groups.Length)
            {
                return false;
            }

            _groups[_count] = group;
            _rows[_count++] = 1;
            isNewGroup = true;
            return true;
        }
    }
}
