using System.Runtime.CompilerServices;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;

namespace Concordat.Data.Aggregates;

/// <summary>
/// A columnar copy of a dataset version's rows for aggregate queries: the rows the row rules of one egress plan admit,
/// in stored order, each field held as an array of dictionary codes with the distinct values beside it.
/// </summary>
/// <remarks>
/// <para>
/// Built once per dataset version and egress plan (<see cref="EgressPlan.ComputeDigest"/> is the key a cache MUST use)
/// and read by <see cref="Aggregator.Run"/> any number of times, from any number of threads: it is immutable once built.
/// Values are the stored ones, before field rules; the aggregate plan decides which fields may be read and how, as on
/// the row path.
/// </para>
/// <para>
/// Memory: four bytes per row and field, plus each field's distinct values. Security: it holds the stored values,
/// identifiers included, in the gateway's memory only, as the row path holds each row while reading it.
/// </para>
/// </remarks>
public sealed class AggregateColumns
{
    private AggregateColumns(IReadOnlyList<DatasetSchemaField> schema, EgressPlan egress, int rowCount, int[][] codes, byte[][][] values)
    {
        Schema = schema;
        ConsentIndex = egress.ConsentIndex;
        AcceptedPurposes = egress.AcceptedPurposes;
        ResidencyIndex = egress.ResidencyIndex;
        AcceptedResidencies = egress.AcceptedResidencies;
        RowCount = rowCount;
        Codes = codes;
        Values = values;
    }

    /// <summary>Gets the number of rows the row rules admitted.</summary>
    public int RowCount { get; }

    internal IReadOnlyList<DatasetSchemaField> Schema { get; }

    /// <summary>Gets, per field, each row's code: an index into the field's <see cref="Values"/>, or -1 for null.</summary>
    internal int[][] Codes { get; }

    /// <summary>Gets, per field, its distinct values (UTF-8), in order of first appearance.</summary>
    internal byte[][][] Values { get; }

    private int ConsentIndex { get; }

    private byte[][] AcceptedPurposes { get; }

    private int ResidencyIndex { get; }

    private byte[][] AcceptedResidencies { get; }

    /// <summary>Reads every row once and builds the copy of the rows <paramref name="egress"/>'s row rules admit.</summary>
    /// <param name="egress">The plan whose row rules (consent, residency) withhold rows; field rules apply later, per query.</param>
    /// <param name="rows">The stored rows, at their start; their schema MUST match the plan's.</param>
    /// <param name="maxRows">The most admitted rows to hold.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The copy, or null when more than <paramref name="maxRows"/> rows are admitted (the row path serves those).</returns>
    /// <exception cref="InvalidOperationException">The rows' schema differs from the plan's.</exception>
    public static async Task<AggregateColumns?> BuildAsync(EgressPlan egress, DatasetRowReader rows, int maxRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(egress);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        if (!egress.Matches(rows.Schema))
        {
            throw new InvalidOperationException("the stored dataset's fields differ from the agreement's definition of it");
        }

        var builder = new Builder(egress, rows.Schema.Count, maxRows);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Invariant: at most one buffer of rows between cancellation checks and awaited reads.
            while (rows.TryReadBuffered())
            {
                if (!builder.Add(rows))
                {
                    return null;
                }
            }

            if (!await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (!builder.Add(rows))
            {
                return null;
            }
        }

        return builder.Build(rows.Schema, egress);
    }

    /// <summary>Whether the copy was built under the same schema and row rules as <paramref name="egress"/>.</summary>
    internal bool IsFor(EgressPlan egress) =>
        egress.Matches(Schema)
        && egress.ConsentIndex == ConsentIndex
        && egress.ResidencyIndex == ResidencyIndex
        && SameValues(egress.AcceptedPurposes, AcceptedPurposes)
        && SameValues(egress.AcceptedResidencies, AcceptedResidencies);

    private static bool SameValues(byte[][] left, byte[][] right) =>
        left.Length == right.Length && left.Zip(right).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    private sealed class Builder
    {
        private readonly EgressPlan _egress;
        private readonly int _maxRows;
        private readonly ColumnBuilder[] _columns;
        private int _count;

        public Builder(EgressPlan egress, int fields, int maxRows)
        {
            _egress = egress;
            _maxRows = maxRows;
            _columns = [.. Enumerable.Range(0, fields).Select(_ => new ColumnBuilder())];
        }

        /// <summary>Adds the reader's row when the row rules admit it; false when that makes too many rows.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Add(DatasetRowReader rows)
        {
            if (_egress.Admit(rows) != RowAdmission.Admitted)
            {
                return true;
            }

            if (_count == _maxRows)
            {
                return false;
            }

            for (var i = 0; i < _columns.Length; i++)
            {
                _columns[i].Add(_count, rows.GetValue(i), rows.IsNull(i));
            }

            _count++;
            return true;
        }

        public AggregateColumns Build(IReadOnlyList<DatasetSchemaField> schema, EgressPlan egress) =>
            new(schema, egress, _count, [.. _columns.Select(c => c.Codes(_count))], [.. _columns.Select(c => c.Values.ToArray())]);
    }

    // Invariant: stored rows are valid UTF-8 (the import checked them), so decoding keys the dictionary one to one.
    private sealed class ColumnBuilder
    {
        private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
        private int[] _rows = new int[1024];
        private readonly Utf8KeyBuffer _chars = new();

        public ColumnBuilder() => _lookup = _codes.GetAlternateLookup<ReadOnlySpan<char>>();

        public List<byte[]> Values { get; } = [];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(int row, ReadOnlySpan<byte> value, bool isNull)
        {
            if (row == _rows.Length)
            {
                Array.Resize(ref _rows, (int)Math.Min(Array.MaxLength, 2L * _rows.Length));
            }

            _rows[row] = isNull ? -1 : Code(value);
        }

        public int[] Codes(int count)
        {
            Array.Resize(ref _rows, count);
            return _rows;
        }

        private int Code(ReadOnlySpan<byte> value)
        {
            var chars = _chars.Decode(value);
            if (!_lookup.TryGetValue(chars, out var code))
            {
                code = Values.Count;
                _lookup[chars] = code;
                Values.Add(value.ToArray());
            }

            return code;
        }
    }
}
