using System.Buffers;
using System.Runtime.CompilerServices;

namespace Concordat.Data.Aggregates;

/// <summary>
/// The columnar path of <see cref="Aggregator"/>: every per-value question (is it in a dimension's domain, does it pass
/// a filter, is its pseudonym in the joined table, what is it clamped to) is answered once per distinct value, and the
/// pass over the rows only reads dictionary codes.
/// </summary>
/// <remarks>
/// Invariant: the same totals as the row path. The rows are in stored order and contributions are bounded first come
/// per entity, with the entity's state kept in arrays indexed by its code (k slots of group and row count each) rather
/// than in a dictionary keyed by its value.
/// </remarks>
internal static class ColumnarAggregator
{
    private const int RowsBetweenCancellationChecks = 1 << 16;

    public static AggregateTotals Total(AggregatePlan plan, AggregateColumns columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(columns);
        if (!columns.IsFor(plan.Egress))
        {
            // Security: a copy built under other row rules could count rows this grant withholds.
            throw new InvalidOperationException("the columnar copy was built under other fields or row rules than the query's");
        }

        var totals = new AggregateTotals(plan);
        var entities = columns.Codes[plan.EntityIndex];
        var k = plan.Query.MaxGroupsPerEntity;
        var slots = checked(columns.Values[plan.EntityIndex].Length * k);
        // Slot (e·k + i) holds entity e's i-th group plus one (0 while free) and the rows it counted there.
        var groupsOf = ArrayPool<int>.Shared.Rent(slots);
        var rowsIn = ArrayPool<int>.Shared.Rent(slots);
        try
        {
            Array.Clear(groupsOf, 0, slots);
            Array.Clear(rowsIn, 0, slots);
            var pass = new Pass(plan, columns, totals, entities, groupsOf, rowsIn);
            for (var start = 0; start < columns.RowCount; start += RowsBetweenCancellationChecks)
            {
                cancellationToken.ThrowIfCancellationRequested();
                pass.Run(start, Math.Min(columns.RowCount, start + RowsBetweenCancellationChecks));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(groupsOf);
            ArrayPool<int>.Shared.Return(rowsIn);
        }

        return totals;
    }

    private sealed class Pass
    {
        private readonly int[] _entities;
        private readonly int[] _groupsOf;
        private readonly int[] _rowsIn;
        private readonly int _k;
        private readonly int _maxRows;
        private readonly (int[] Codes, bool[] Passes)[] _filters;
        private readonly (int[] Codes, int[] Index, int Size)[] _dimensions;
        private readonly (int[] Codes, long[] Clamped, long Null)[] _sums;
        private readonly (int[] Codes, long[] Clamped, long Null)[] _ranks;
        private readonly AggregateTotals _all;
        private readonly long[] _distinct;
        private readonly long[] _rows;
        private readonly Int128[][] _totals;
        private readonly bool _hasRows;

        public Pass(AggregatePlan plan, AggregateColumns columns, AggregateTotals totals, int[] entities, int[] groupsOf, int[] rowsIn)
        {
            _entities = entities;
            _groupsOf = groupsOf;
            _rowsIn = rowsIn;
            _k = plan.Query.MaxGroupsPerEntity;
            _maxRows = plan.Query.MaxRowsPerGroup;
            var filters = plan.Filters.Select(f => (columns.Codes[f.SourceIndex], columns.Values[f.SourceIndex].Select(v => f.Matches(v)).ToArray())).ToList();
            if (plan.Join is { } join)
            {
                // A semi-join, as on the row path: each distinct value is pseudonymised once.
                filters.Add((columns.Codes[join.SourceIndex], columns.Values[join.SourceIndex].Select(v => join.Table.Contains(v)).ToArray()));
            }

            _filters = [.. filters];
            // Under partition selection every distinct value of the copy gets its group here, before the arrays below
            // are read; a group no counted row reaches stays empty and is no candidate.
            _dimensions = [.. plan.Dimensions.Select(d => (columns.Codes[d.SourceIndex], columns.Values[d.SourceIndex].Select(v => d.IndexOf(v, totals)).ToArray(), d.Domain.Count))];
            _sums = [.. totals.Summed.Select(m => (columns.Codes[m.SourceIndex], columns.Values[m.SourceIndex].Select(v => m.Clamp(v)).ToArray(), m.Clamp([])))];
            _ranks = [.. totals.Ranked.Select(m => (columns.Codes[m.SourceIndex], columns.Values[m.SourceIndex].Select(v => m.Clamp(v)).ToArray(), m.Clamp([])))];
            _all = totals;
            _distinct = totals.Distinct;
            _rows = totals.Rows;
            _totals = totals.Sums;
            _hasRows = plan.HasRows;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int start, int end)
        {
            for (var row = start; row < end; row++)
            {
                var entity = _entities[row];
                if (entity < 0 || !Passes(row) || !TryGroup(row, out var group) || !TryTake(entity, group, out var isNewGroup))
                {
                    continue;
                }

                if (isNewGroup)
                {
                    _distinct[group]++;
                }

                if (_hasRows)
                {
                    _rows[group]++;
                }

                for (var i = 0; i < _sums.Length; i++)
                {
                    var (codes, clamped, none) = _sums[i];
                    var code = codes[row];
                    _totals[i][group] += code < 0 ? none : clamped[code];
                }

                for (var i = 0; i < _ranks.Length; i++)
                {
                    var (codes, clamped, none) = _ranks[i];
                    var code = codes[row];
                    _all.Rank(i, group, code < 0 ? none : clamped[code]);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool Passes(int row)
        {
            foreach (var (codes, passes) in _filters)
            {
                var code = codes[row];
                if (code < 0 || !passes[code])
                {
                    return false;
                }
            }

            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryGroup(int row, out int group)
        {
            group = 0;
            foreach (var (codes, index, size) in _dimensions)
            {
                var code = codes[row];
                var value = code < 0 ? -1 : index[code];
                if (value < 0)
                {
                    return false;
                }

                group = (group * size) + value;
            }

            return true;
        }

        // The row path's Contribution.TryTake over the entity's k slots.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool TryTake(int entity, int group, out bool isNewGroup)
        {
            isNewGroup = false;
            var first = entity * _k;
            for (var slot = first; slot < first + _k; slot++)
            {
                var held = _groupsOf[slot];
                if (held == 0)
                {
                    _groupsOf[slot] = group + 1;
                    _rowsIn[slot] = 1;
                    isNewGroup = true;
                    return true;
                }

                if (held == group + 1)
                {
                    if (_rowsIn[slot] >= _maxRows)
                    {
                        return false;
                    }

                    _rowsIn[slot]++;
                    return true;
                }
            }

            return false;
        }
    }
}
