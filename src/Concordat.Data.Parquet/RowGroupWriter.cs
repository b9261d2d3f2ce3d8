using Concordat.Data.Egress;
using Parquet;
using Parquet.Schema;

namespace Concordat.Data.Parquet;

/// <summary>
/// Writes a Parquet file one <see cref="EgressBatch"/> at a time, each batch one row group of at most
/// <see cref="RowGroupRows"/> rows, so memory stays flat in the number of rows.
/// </summary>
/// <remarks>
/// Invariant: the values written are the batch's cells, which <see cref="EgressWriter"/> transformed with the code the
/// rows endpoint uses; no field or row rule is carried out here. Not safe for concurrent use: one row group at a time.
/// </remarks>
internal sealed class RowGroupWriter : IAsyncDisposable
{
    /// <summary>The rows of one row group.</summary>
    internal const int RowGroupRows = 65_536;

    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly ColumnValues[] _columns;
    private readonly ReadOnlyMemory<char>[]? _changeTypes;
    private bool _isComplete;

    private RowGroupWriter(ParquetWriter writer, DataField[] fields, ColumnValues[] columns, bool hasChangeType)
    {
        _writer = writer;
        _fields = fields;
        _columns = columns;
        _changeTypes = hasChangeType ? new ReadOnlyMemory<char>[RowGroupRows] : null;
    }

    /// <summary>Creates a writer of the plan's columns and, for a file of changes, a last <c>_change_type</c> column.</summary>
    public static async Task<RowGroupWriter> CreateAsync(IReadOnlyList<EgressField> fields, Stream destination, bool hasChangeType, CancellationToken cancellationToken)
    {
        var schema = ParquetColumns.Schema(fields, hasChangeType);
        var writer = await ParquetWriter.CreateAsync(schema, destination, ParquetColumns.WriterOptions(), append: false, cancellationToken);
        return new RowGroupWriter(writer, schema.GetDataFields(), [.. fields.Select(f => new ColumnValues(ParquetColumns.KindOf(f), RowGroupRows))], hasChangeType);
    }

    /// <summary>Writes the batch's rows as one row group; in a file of changes, every row with <paramref name="changeType"/>.</summary>
    public async Task WriteAsync(EgressBatch batch, string? changeType, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        using var group = _writer.CreateRowGroup();
        for (var i = 0; i < _columns.Length; i++)
        {
            await _columns[i].WriteAsync(group, _fields[i], batch, i, cancellationToken);
        }

        if (_changeTypes is not null)
        {
            _changeTypes.AsSpan(0, batch.Count).Fill((changeType ?? throw new ArgumentNullException(nameof(changeType))).AsMemory());
            await group.WriteAsync<ReadOnlyMemory<char>>(_fields[^1], _changeTypes.AsMemory(0, batch.Count), null, null, cancellationToken);
        }

        group.CompleteValidate();
    }

    /// <summary>Writes the footer.</summary>
    public async Task CompleteAsync()
    {
        _isComplete = true;
        await _writer.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_isComplete)
        {
            _isComplete = true;
            await _writer.DisposeAsync();
        }
    }
}
