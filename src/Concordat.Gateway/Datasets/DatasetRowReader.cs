using System.Buffers;
using System.Text.Json;

namespace Concordat.Gateway.Datasets;

/// <summary>
/// Reads the stored rows of a dataset version one at a time, in constant memory.
/// </summary>
/// <remarks>
/// The values of the current row stay valid until the next <see cref="ReadAsync"/>. Not safe for concurrent use.
/// A stored row that does not match the schema means the store was changed behind Concordat's back: it throws
/// <see cref="InvalidDataException"/>.
/// </remarks>
internal sealed class DatasetRowReader : IAsyncDisposable, IDisposable
{
    private readonly Stream _stream;
    private readonly Utf8LineReader _lines;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private byte[] _values = ArrayPool<byte>.Shared.Rent(4096);

    /// <summary>Creates a reader over normalised rows; it owns <paramref name="stream"/>.</summary>
    public DatasetRowReader(Stream stream, IReadOnlyList<DatasetSchemaField> schema)
    {
        _stream = stream;
        Schema = schema;
        _lines = new Utf8LineReader(stream, DatasetImport.MaxLineLength + (64 * 1024));
        _starts = new int[schema.Count];
        _lengths = new int[schema.Count];
    }

    /// <summary>Gets the fields, in the order of the values of each row.</summary>
    public IReadOnlyList<DatasetSchemaField> Schema { get; }

    /// <summary>Gets the number of rows read so far.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Moves to the next row.</summary>
    /// <returns><see langword="false"/> after the last row.</returns>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (!await _lines.ReadAsync(cancellationToken))
        {
            if (_lines.IsLineTooLong)
            {
                throw new InvalidDataException($"stored row {RowsRead + 1} is longer than the import limit");
            }

            return false;
        }

        Parse(_lines.Line);
        RowsRead++;
        return true;
    }

    /// <summary>Returns whether the value of field <paramref name="index"/> is null.</summary>
    public bool IsNull(int index) => _lengths[index] < 0;

    /// <summary>Gets the value of field <paramref name="index"/>: the UTF-8 text of a string, or the JSON text of a number or boolean; empty when null.</summary>
    public ReadOnlySpan<byte> GetValue(int index) => _lengths[index] <= 0 ? default : _values.AsSpan(_starts[index], _lengths[index]);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _lines.Dispose();
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_values);
        _values = [];
    }

    private void Parse(ReadOnlySpan<byte> line)
    {
        if (_values.Length < line.Length)
        {
            ArrayPool<byte>.Shared.Return(_values);
            _values = ArrayPool<byte>.Shared.Rent(line.Length);
        }

        try
        {
            var json = new Utf8JsonReader(line);
            Expect(json.Read() && json.TokenType == JsonTokenType.StartArray);
            var at = 0;
            for (var i = 0; i < _starts.Length; i++)
            {
                Expect(json.Read());
                _starts[i] = at;
                switch (json.TokenType)
                {
                    case JsonTokenType.Null:
                        _lengths[i] = -1;
                        break;
                    case JsonTokenType.String:
                        // Invariant: an unescaped string is never longer than its escaped form, so it fits in a line-sized buffer.
                        var length = json.ValueIsEscaped ? json.CopyString(_values.AsSpan(at)) : Copy(json.ValueSpan, at);
                        _lengths[i] = length;
                        at += length;
                        break;
                    case JsonTokenType.Number:
                    case JsonTokenType.True:
                    case JsonTokenType.False:
                        _lengths[i] = Copy(json.ValueSpan, at);
                        at += _lengths[i];
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
    }

    private int Copy(ReadOnlySpan<byte> value, int at)
    {
        value.CopyTo(_values.AsSpan(at));
        return value.Length;
    }

    private void Expect(bool condition)
    {
        if (!condition)
        {
            throw new InvalidDataException($"stored row {RowsRead + 1} does not match the dataset's schema");
        }
    }
}
