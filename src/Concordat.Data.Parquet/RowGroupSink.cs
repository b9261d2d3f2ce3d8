using System.Globalization;
using System.Text.Json;
using Concordat.Data.Egress;
using Parquet;
using Parquet.Schema;

namespace Concordat.Data.Parquet;

/// <summary>
/// The destination the egress writer streams NDJSON into: each row is parsed into column buffers, and every
/// <see cref="RowGroupRows"/> rows become one Parquet row group, so memory stays flat in the number of rows.
/// </summary>
/// <remarks>
/// Invariant: the values written are those the rows endpoint sends for the same plan, because they are read back from
/// its own NDJSON output; no field or row rule is carried out twice.
/// </remarks>
internal sealed class RowGroupSink : NdjsonLineSink
{
    /// <summary>The rows of one row group.</summary>
    internal const int RowGroupRows = 65_536;

    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly ColumnBuffer[] _columns;
    private readonly string[]? _changeTypes;
    private int _rows;
    private bool _isComplete;

    private RowGroupSink(ParquetWriter writer, DataField[] fields, ColumnBuffer[] columns, bool hasChangeType)
    {
        _writer = writer;
        _fields = fields;
        _columns = columns;
        _changeTypes = hasChangeType ? new string[RowGroupRows] : null;
    }

    /// <summary>Gets or sets the <c>_change_type</c> of the rows added next, in a file of changes.</summary>
    public string ChangeType { get; set; } = string.Empty;

    /// <summary>Creates a sink writing the plan's columns and, for a file of changes, a last <c>_change_type</c> column.</summary>
    public static async Task<RowGroupSink> CreateAsync(IReadOnlyList<EgressField> fields, Stream destination, bool hasChangeType, CancellationToken cancellationToken)
    {
        var schema = ParquetColumns.Schema(fields, hasChangeType);
        var writer = await ParquetWriter.CreateAsync(schema, destination, new ParquetOptions(), append: false, cancellationToken);
        return new RowGroupSink(writer, schema.GetDataFields(), [.. fields.Select(f => new ColumnBuffer(ParquetColumns.KindOf(f)))], hasChangeType);
    }

    /// <summary>Adds one NDJSON row whose members are the plan's columns in order (EgressWriter writes them so).</summary>
    public void AddRow(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        reader.Read();
        foreach (var column in _columns)
        {
            reader.Read();
            reader.Read();
            column.Add(ref reader, _rows);
        }

        if (_changeTypes is not null)
        {
            _changeTypes[_rows] = ChangeType;
        }

        _rows++;
    }

    /// <summary>Writes the row group out when it is full.</summary>
    public async ValueTask WriteIfFullAsync(CancellationToken cancellationToken)
    {
        if (_rows == RowGroupRows)
        {
            await WriteRowGroupAsync(cancellationToken);
        }
    }

    /// <summary>Writes the last row group, if any, and the footer.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (IsInsideLine)
        {
            throw new InvalidOperationException("the egress stream ended inside a row");
        }

        if (_rows > 0)
        {
            await WriteRowGroupAsync(cancellationToken);
        }

        _isComplete = true;
        await _writer.DisposeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_isComplete)
        {
            _isComplete = true;
            await _writer.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override void OnLine(ReadOnlySpan<byte> line) => AddRow(line);

    protected override ValueTask AfterLineAsync(CancellationToken cancellationToken) => WriteIfFullAsync(cancellationToken);

    private async Task WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        using var group = _writer.CreateRowGroup();
        for (var i = 0; i < _columns.Length; i++)
        {
            await _columns[i].WriteAsync(group, _fields[i], _rows, cancellationToken);
        }

        if (_changeTypes is not null)
        {
            await group.WriteAsync(_fields[^1], new ArraySegment<string>(_changeTypes, 0, _rows), null);
        }

        group.CompleteValidate();
        _rows = 0;
    }

    // The values of one column for the current row group.
    private sealed class ColumnBuffer(ColumnKind kind)
    {
        private readonly string?[]? _text = kind is ColumnKind.Text or ColumnKind.DecimalText ? new string?[RowGroupRows] : null;
        private readonly long?[]? _long = kind == ColumnKind.Long ? new long?[RowGroupRows] : null;
        private readonly bool?[]? _boolean = kind == ColumnKind.Boolean ? new bool?[RowGroupRows] : null;
        private readonly DateOnly?[]? _date = kind == ColumnKind.Date ? new DateOnly?[RowGroupRows] : null;
        private readonly DateTime?[]? _timestamp = kind == ColumnKind.Timestamp ? new DateTime?[RowGroupRows] : null;

        public void Add(ref Utf8JsonReader reader, int row)
        {
            var isNull = reader.TokenType == JsonTokenType.Null;
            switch (kind)
            {
                case ColumnKind.Long:
                    _long![row] = isNull ? null : reader.GetInt64();
                    break;
                case ColumnKind.Boolean:
                    _boolean![row] = isNull ? null : reader.GetBoolean();
                    break;
                case ColumnKind.Date:
                    _date![row] = isNull ? null : DateOnly.ParseExact(reader.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    break;
                case ColumnKind.Timestamp:
                    // Security: a date-time no instant can hold (a leap second) is withheld, never sent altered.
                    _timestamp![row] = !isNull && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                        ? instant.UtcDateTime
                        : null;
                    break;
                case ColumnKind.DecimalText:
                    _text![row] = isNull ? null : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                    break;
                default:
                    _text![row] = isNull ? null : reader.GetString();
                    break;
            }
        }

        public Task WriteAsync(ParquetRowGroupWriter group, DataField field, int rows, CancellationToken cancellationToken) => kind switch
        {
            ColumnKind.Long => group.WriteAsync<long>(field, _long.AsMemory(0, rows), null, null, cancellationToken),
            ColumnKind.Boolean => group.WriteAsync<bool>(field, _boolean.AsMemory(0, rows), null, null, cancellationToken),
            ColumnKind.Date => group.WriteAsync<DateOnly>(field, _date.AsMemory(0, rows), null, null, cancellationToken),
            ColumnKind.Timestamp => group.WriteAsync<DateTime>(field, _timestamp.AsMemory(0, rows), null, null, cancellationToken),
            _ => group.WriteAsync(field, new ArraySegment<string>(_text!, 0, rows)!, null),
        };
    }
}
