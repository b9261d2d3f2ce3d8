using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using Concordat.Data.Egress;
using Parquet;
using Parquet.Schema;

namespace Concordat.Data.Parquet;

/// <summary>
/// One column of an <see cref="EgressBatch"/> as the typed values and definition levels Parquet.Net writes: buffers
/// kept from row group to row group, values only for the non-null cells (no nullable boxes, no strings).
/// </summary>
/// <remarks>
/// Invariant: a cell becomes the value the NDJSON reader of the rows endpoint's output would give (the same text, the
/// same integer, date or instant), so the file and the rows endpoint agree cell for cell.
/// </remarks>
internal sealed class ColumnValues
{
    private readonly ColumnKind _kind;
    private readonly int[] _definitions;
    private readonly ReadOnlyMemory<char>[]? _text;
    private readonly long[]? _long;
    private readonly bool[]? _boolean;
    private readonly DateOnly[]? _date;
    private readonly DateTime[]? _timestamp;
    private char[] _characters = [];

    public ColumnValues(ColumnKind kind, int capacity)
    {
        _kind = kind;
        _definitions = new int[capacity];
        _text = kind is ColumnKind.Text or ColumnKind.DecimalText ? new ReadOnlyMemory<char>[capacity] : null;
        _long = kind == ColumnKind.Long ? new long[capacity] : null;
        _boolean = kind == ColumnKind.Boolean ? new bool[capacity] : null;
        _date = kind == ColumnKind.Date ? new DateOnly[capacity] : null;
        _timestamp = kind == ColumnKind.Timestamp ? new DateTime[capacity] : null;
    }

    /// <summary>Converts column <paramref name="column"/> of the batch and writes it as the row group's next column.</summary>
    public Task WriteAsync(ParquetRowGroupWriter group, DataField field, EgressBatch batch, int column, CancellationToken cancellationToken)
    {
        var values = Fill(batch, column);
        var definitions = _definitions.AsMemory(0, batch.Count);
        return _kind switch
        {
            ColumnKind.Long => group.WriteAllPartsAsync<long>(field, _long.AsMemory(0, values), definitions, null, cancellationToken),
            ColumnKind.Boolean => group.WriteAllPartsAsync<bool>(field, _boolean.AsMemory(0, values), definitions, null, cancellationToken),
            ColumnKind.Date => group.WriteAllPartsAsync<DateOnly>(field, _date.AsMemory(0, values), definitions, null, cancellationToken),
            ColumnKind.Timestamp => group.WriteAllPartsAsync<DateTime>(field, _timestamp.AsMemory(0, values), definitions, null, cancellationToken),
            _ => group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, _text.AsMemory(0, values), definitions, null, cancellationToken),
        };
    }

    // Sets a definition level per row (1 present, 0 null) and the present values in order; returns how many.
    private int Fill(EgressBatch batch, int column)
    {
        if (_text is not null)
        {
            return FillText(batch, column);
        }

        var values = 0;
        for (var row = 0; row < batch.Count; row++)
        {
            var isPresent = !batch.IsNull(column, row) && TryAdd(batch.GetValue(column, row), values);
            _definitions[row] = isPresent ? 1 : 0;
            values += isPresent ? 1 : 0;
        }

        return values;
    }

    // Why one transcoding of the whole column: the cells of a batch lie one after the other, and when they are all
    // ASCII (pseudonyms, codes, most names) a character's place is its byte's place, so each value is a slice of one
    // widened buffer; otherwise each cell is transcoded on its own.
    private int FillText(EgressBatch batch, int column)
    {
        var bytes = batch.GetColumnBytes(column);
        var isAscii = Ascii.IsValid(bytes);
        var length = isAscii ? bytes.Length : Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_characters.Length < length)
        {
            _characters = new char[Math.Max(length, _characters.Length * 2)];
        }

        if (isAscii)
        {
            Ascii.ToUtf16(bytes, _characters, out _);
        }

        var memory = _characters.AsMemory();
        var values = 0;
        var at = 0;
        for (var row = 0; row < batch.Count; row++)
        {
            if (batch.IsNull(column, row))
            {
                _definitions[row] = 0;
                continue;
            }

            var value = batch.GetValue(column, row);
            var characters = isAscii ? value.Length : Encoding.UTF8.GetChars(value, _characters.AsSpan(at));
            _text![values++] = memory.Slice(at, characters);
            at += characters;
            _definitions[row] = 1;
        }

        return values;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryAdd(ReadOnlySpan<byte> value, int index)
    {
        switch (_kind)
        {
            case ColumnKind.Long:
                _long![index] = Utf8Parser.TryParse(value, out long number, out var consumed) && consumed == value.Length
                    ? number
                    : throw new InvalidDataException("a stored integer is not an integer");
                return true;
            case ColumnKind.Boolean:
                _boolean![index] = value.SequenceEqual("true"u8) || (value.SequenceEqual("false"u8) ? false : throw new InvalidDataException("a stored boolean is neither true nor false"));
                return true;
            case ColumnKind.Date:
                _date![index] = ParquetTime.ParseDate(value);
                return true;
            default:
                // Security: a date-time no instant can hold (a leap second) is withheld, never sent altered.
                if (ParquetTime.TryParseInstant(value, out var instant))
                {
                    _timestamp![index] = instant;
                    return true;
                }

                return false;
        }
    }
}
