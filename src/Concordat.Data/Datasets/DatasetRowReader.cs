using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Concordat.Data.Datasets;

/// <summary>
/// Reads the stored rows of a dataset version one at a time, in constant memory; opened by
/// <see cref="DatasetStore.OpenRows"/> and read by <see cref="Egress.EgressWriter"/>.
/// </summary>
/// <remarks>
/// The values of the current row stay valid until the next read. Not safe for concurrent use. A stored row that does
/// not match the schema means the store was changed behind Concordat's back: it throws
/// <see cref="InvalidDataException"/>. Values are read in place from the line; only a string with escapes is
/// copied out, unescaped.
/// </remarks>
public sealed class DatasetRowReader : IAsyncDisposable, IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8LineReader _lines;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private byte[] _values = ArrayPool<byte>.Shared.Rent(4096);
    private ArraySegment<byte> _line;

    /// <summary>Creates a reader over normalised rows; it owns <paramref name="stream"/>.</summary>
    internal DatasetRowReader(Stream stream, IReadOnlyList<DatasetSchemaField> schema)
    {
        _stream = stream;
        Schema = schema;
        _lines = new Utf8LineReader(stream, DatasetImport.MaxLineLength + (64 * 1024));
        _starts = new int[schema.Count];
        _lengths = new int[schema.Count];
    }

    /// <summary>Gets the fields, in the order of the values of each row.</summary>
    internal IReadOnlyList<DatasetSchemaField> Schema { get; }

    /// <summary>Gets the number of rows read so far.</summary>
    internal long RowsRead { get; private set; }

    /// <summary>Moves to the next row.</summary>
    /// <returns><see langword="false"/> after the last row.</returns>
    internal async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await _lines.ReadAsync(cancellationToken))
        {
            if (_lines.IsLineTooLong)
            {
                throw new InvalidDataException($"stored row {RowsRead + 1} is longer than the import limit");
            }

            return false;
        }

        Parse(_lines.LineSegment);
        return true;
    }

    /// <summary>Moves to the next row when its line is already buffered, without reading the stream.</summary>
    /// <returns><see langword="false"/> when the next row needs <see cref="ReadAsync"/> (more bytes, or the end).</returns>
    // Egress calls this once per row: compiled fully optimised at the first call rather than tiered (see EgressWriter).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal bool TryReadBuffered()
    {
        if (!_lines.TryReadBuffered())
        {
            return false;
        }

        Parse(_lines.LineSegment);
        return true;
    }

    /// <summary>Gets the current row's stored line, without its line feed, exactly as kept (an erasure copies the rows it keeps byte for byte).</summary>
    internal ReadOnlySpan<byte> CurrentLine => _line;

    /// <summary>Returns whether the value of field <paramref name="index"/> is null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool IsNull(int index) => _lengths[index] < 0;

    /// <summary>Gets the value of field <paramref name="index"/>: the UTF-8 text of a string, or the JSON text of a number or boolean; empty when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ReadOnlySpan<byte> GetValue(int index)
    {
        var length = _lengths[index];
        if (length <= 0)
        {
            return default;
        }

        // A start below zero is the complement of an unescaped copy's place in _values.
        var start = _starts[index];
        return start >= 0 ? _line.AsSpan(start, length) : _values.AsSpan(~start, length);
    }

    /// <summary>Closes the rows file and returns the reader's buffers.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the rows file and returns the reader's buffers.</summary>
    public void Dispose()
    {
        _lines.Dispose();
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_values);
        _values = [];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Parse(ArraySegment<byte> line)
    {
        _line = line;
        if (_values.Length < line.Count)
        {
            // Invariant: an unescaped string is never longer than its escaped form, so the copies of one row fit in
            // a buffer as long as the line.
            ArrayPool<byte>.Shared.Return(_values);
            _values = ArrayPool<byte>.Shared.Rent(line.Count);
        }

        try
        {
            var json = new Utf8JsonReader(line);
            Expect(json.Read() && json.TokenType == JsonTokenType.StartArray);
            var copied = 0;
            for (var i = 0; i < _starts.Length; i++)
            {
                Expect(json.Read());
                switch (json.TokenType)
                {
                    case JsonTokenType.Null:
                        _lengths[i] = -1;
                        break;
                    case JsonTokenType.String when json.ValueIsEscaped:
                        _starts[i] = ~copied;
                        _lengths[i] = json.CopyString(_values.AsSpan(copied));
                        copied += _lengths[i];
                        break;
                    case JsonTokenType.String:
                        // The value starts after the opening quote.
                        _starts[i] = (int)json.TokenStartIndex + 1;
                        _lengths[i] = json.ValueSpan.Length;
                        break;
                    case JsonTokenType.Number:
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        _starts[i] = (int)json.TokenStartIndex;
                        _lengths[i] = json.ValueSpan.Length;
                        break;
                    default:
                        Expect(false);
                        break;
                }
            }

            Expect(json.Read() && json.TokenType == JsonTokenType.EndArray && !json.Read());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"stored row {RowsRead + 1} is not well formed", e);
        }

        RowsRead++;
    }

    // Why a separate throw: Expect stays small enough to inline into Parse.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Expect(bool condition)
    {
        if (!condition)
        {
            ThrowSchemaMismatch();
        }
    }

    [DoesNotReturn]
    private void ThrowSchemaMismatch() => throw new InvalidDataException($"stored row {RowsRead + 1} does not match the dataset's schema");
}
