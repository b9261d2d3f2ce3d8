using System.Buffers;
using System.Runtime.CompilerServices;

namespace Concordat.Data.Egress;

/// <summary>
/// A batch of rows as they leave under an <see cref="EgressPlan"/>, held column by column: each cell is the UTF-8 text
/// the rows endpoint sends for it (a string's characters unescaped, a number's or boolean's literal), or null.
/// Filled by <see cref="EgressWriter.WriteBatchesAsync"/> for columnar writers (Parquet), which read it column by column.
/// </summary>
/// <remarks>
/// Memory: <see cref="Capacity"/> rows of every column, in buffers reused from batch to batch (a column's bytes grow to
/// the longest batch seen, never with the number of batches). Not safe for concurrent use; a batch handed to a writer
/// MUST NOT be filled again until the writer is done with it.
/// </remarks>
public sealed class EgressBatch : IDisposable
{
    private readonly Column[] _columns;

    /// <summary>Creates an empty batch.</summary>
    /// <param name="columns">The plan's column count (<see cref="EgressPlan.Fields"/>).</param>
    /// <param name="capacity">The most rows it holds.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public EgressBatch(int columns, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _columns = [.. Enumerable.Range(0, columns).Select(_ => new Column(capacity))];
    }

    /// <summary>Gets the most rows the batch holds.</summary>
    public int Capacity { get; }

    /// <summary>Gets the number of columns.</summary>
    public int ColumnCount => _columns.Length;

    /// <summary>Gets the number of rows held.</summary>
    public int Count { get; private set; }

    /// <summary>Gets a value indicating whether the batch holds <see cref="Capacity"/> rows.</summary>
    public bool IsFull => Count == Capacity;

    /// <summary>Returns whether the cell is null.</summary>
    /// <param name="column">The column index.</param>
    /// <param name="row">The row index, below <see cref="Count"/>.</param>
    /// <returns><see langword="true"/> when the value is withheld or absent.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int column, int row) => _columns[column].Ends[row] < 0;

    /// <summary>Returns a cell's UTF-8 text; empty when null.</summary>
    /// <param name="column">The column index.</param>
    /// <param name="row">The row index, below <see cref="Count"/>.</param>
    /// <returns>The bytes, valid until the batch is cleared.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetValue(int column, int row)
    {
        var ends = _columns[column].Ends;
        var end = ends[row];
        if (end < 0)
        {
            return default;
        }

        var previous = row == 0 ? 0 : ends[row - 1];
        var start = previous < 0 ? ~previous : previous;
        return _columns[column].Bytes.AsSpan(start, end - start);
    }

    /// <summary>Returns every non-null cell of a column, one after the other, in row order.</summary>
    /// <param name="column">The column index.</param>
    /// <returns>The bytes, valid until the batch is cleared.</returns>
    public ReadOnlySpan<byte> GetColumnBytes(int column) => _columns[column].Bytes.AsSpan(0, _columns[column].Used);

    /// <summary>Empties the batch, keeping its buffers.</summary>
    public void Clear()
    {
        foreach (var column in _columns)
        {
            column.Used = 0;
        }

        Count = 0;
    }

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        foreach (var column in _columns)
        {
            column.Dispose();
        }
    }

    /// <summary>Copies one row of another batch with the same columns to the end of this one.</summary>
    /// <param name="source">The batch the row is in.</param>
    /// <param name="row">The row index, below the source's <see cref="Count"/>.</param>
    /// <exception cref="InvalidOperationException">This batch is full.</exception>
    public void AppendRow(EgressBatch source, int row)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (IsFull)
        {
            throw new InvalidOperationException("the batch is full");
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            if (source.IsNull(i, row))
            {
                AppendNull(i);
            }
            else
            {
                Append(i, source.GetValue(i, row));
            }
        }

        EndRow();
    }

    /// <summary>Sets the current row's cell in <paramref name="column"/> to null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AppendNull(int column)
    {
        var target = _columns[column];

        // Invariant: a null cell's end is the complement of the bytes used so far (~used < 0), so the next cell's
        // start is still known from its predecessor alone.
        target.Ends[Count] = ~target.Used;
    }

    /// <summary>Sets the current row's cell in <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Append(int column, ReadOnlySpan<byte> value)
    {
        value.CopyTo(GetSpan(column, value.Length));
        Advance(column, value.Length);
    }

    /// <summary>Returns room for at least <paramref name="length"/> bytes of the current row's cell in <paramref name="column"/>; call <see cref="Advance"/> after writing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Span<byte> GetSpan(int column, int length)
    {
        var target = _columns[column];
        if (target.Bytes.Length - target.Used < length)
        {
            target.Grow(length);
        }

        return target.Bytes.AsSpan(target.Used);
    }

    /// <summary>Ends the current row's cell in <paramref name="column"/> after <paramref name="written"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Advance(int column, int written)
    {
        var target = _columns[column];
        target.Used += written;
        target.Ends[Count] = target.Used;
    }

    /// <summary>Ends the current row, once every column has its cell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EndRow() => Count++;

    private sealed class Column(int capacity) : IDisposable
    {
        public byte[] Bytes { get; private set; } = ArrayPool<byte>.Shared.Rent(capacity * 16);

        // The end of each row's cell in Bytes, or its complement when the cell is null.
        public int[] Ends { get; } = new int[capacity];

        public int Used { get; set; }

        public void Grow(int length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Bytes.Length * 2, Used + length));
            Bytes.AsSpan(0, Used).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(Bytes);
            Bytes = larger;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Bytes);
            Bytes = [];
        }
    }
}
