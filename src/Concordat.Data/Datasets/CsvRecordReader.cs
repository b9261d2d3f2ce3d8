using System.Buffers;

namespace Concordat.Data.Datasets;

/// <summary>
/// Reads RFC 4180 records from a UTF-8 stream, one at a time, in bounded memory.
/// </summary>
/// <remarks>
/// Accepts CRLF, LF or CR record ends, skips a leading UTF-8 byte order mark and blank lines. A record longer than
/// <see cref="MaxRecordLength"/> bytes, a quote inside an unquoted field, text after a closing quote or a quote left
/// open at the end are syntax errors; after one the reader stops (<see cref="SyntaxError"/> says why).
/// </remarks>
internal sealed class CsvRecordReader : IDisposable
{
    /// <summary>The longest record accepted, in bytes.</summary>
    public const int MaxRecordLength = 1024 * 1024;

    private const int ChunkLength = 64 * 1024;

    private readonly Stream _stream;
    private readonly Action<ReadOnlySpan<byte>> _onRead;
    private byte[] _chunk = ArrayPool<byte>.Shared.Rent(ChunkLength);
    private byte[] _record = ArrayPool<byte>.Shared.Rent(4096);
    private int[] _fieldEnds = new int[16];
    private int[] _fieldColumns = new int[16];
    private int _chunkStart;
    private int _chunkEnd;
    private bool _endOfStream;
    private bool _atStart = true;
    private State _state = State.FieldStart;
    private bool _fieldQuoted;
    private int _recordLength;
    private int _fieldCount;
    private long _line = 1;
    private int _column = 1;

    /// <summary>Creates a reader; <paramref name="onRead"/> sees every byte read from the stream, in order (for hashing).</summary>
    public CsvRecordReader(Stream stream, Action<ReadOnlySpan<byte>> onRead)
    {
        _stream = stream;
        _onRead = onRead;
    }

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
        AfterCarriageReturn,
    }

    /// <summary>Gets the number of fields of the current record.</summary>
    public int FieldCount => _fieldCount;

    /// <summary>Gets the 1-based line the current record starts on.</summary>
    public long Line { get; private set; }

    /// <summary>Gets why reading stopped early, or <see langword="null"/>.</summary>
    public string? SyntaxError { get; private set; }

    /// <summary>Gets the 1-based line of the syntax error.</summary>
    public long SyntaxErrorLine { get; private set; }

    /// <summary>Gets the 1-based column of the syntax error.</summary>
    public int SyntaxErrorColumn { get; private set; }

    /// <summary>Gets the bytes of field <paramref name="index"/> of the current record, unquoted.</summary>
    public ReadOnlySpan<byte> GetField(int index)
    {
        var start = index == 0 ? 0 : _fieldEnds[index - 1];
        return _record.AsSpan(start, _fieldEnds[index] - start);
    }

    /// <summary>Gets the 1-based column field <paramref name="index"/> starts at, in characters.</summary>
    public int GetFieldColumn(int index) => _fieldColumns[index];

    /// <summary>Reads the next record.</summary>
    /// <returns><see langword="false"/> at the end of the stream or after a syntax error.</returns>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (SyntaxError is not null)
        {
            return false;
        }

        _recordLength = 0;
        _fieldCount = 0;
        while (true)
        {
            if (_chunkStart < _chunkEnd)
            {
                if (Scan())
                {
                    return true;
                }

                if (SyntaxError is not null)
                {
                    return false;
                }

                continue;
            }

            if (_endOfStream)
            {
                return Finish();
            }

            _chunkStart = 0;
            _chunkEnd = await _stream.ReadAsync(_chunk.AsMemory(0, ChunkLength), cancellationToken);
            _onRead(_chunk.AsSpan(0, _chunkEnd));
            _endOfStream = _chunkEnd == 0;
            if (_atStart && !_endOfStream)
            {
                SkipByteOrderMark();
            }
        }
    }

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_chunk);
        ArrayPool<byte>.Shared.Return(_record);
        _chunk = [];
        _record = [];
    }

    private void SkipByteOrderMark()
    {
        // Invariant: the first read returns at least 3 bytes unless the stream is shorter; a mark split across reads is then rare enough to reject as data.
        if (_chunkEnd >= 3 && _chunk.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
        {
            _chunkStart = 3;
        }

        _atStart = false;
    }

    // Consumes bytes of the chunk until a record ends (true) or the chunk is used up or a syntax error stops it (false).
    private bool Scan()
    {
        while (_chunkStart < _chunkEnd)
        {
            var b = _chunk[_chunkStart];
            switch (_state)
            {
                case State.AfterCarriageReturn:
                    _state = State.FieldStart;
                    if (b == (byte)'\n')
                    {
                        _chunkStart++;
                    }

                    NewLine();
                    if (_fieldCount > 0)
                    {
                        return true;
                    }

                    continue;
                case State.FieldStart:
                    if (_fieldCount == 0 && _recordLength == 0)
                    {
                        Line = _line;
                    }

                    StartField();
                    _fieldQuoted = b == (byte)'"';
                    if (_fieldQuoted)
                    {
                        _state = State.Quoted;
                        Advance(b);
                        continue;
                    }

                    _state = State.Unquoted;
                    continue;
                case State.Unquoted:
                    if (b == (byte)',')
                    {
                        EndField();
                        _state = State.FieldStart;
                        Advance(b);
                        continue;
                    }

                    if (b is (byte)'\r' or (byte)'\n')
                    {
                        var blank = _fieldCount == 0 && _recordLength == 0 && !_fieldQuoted;
                        if (!blank)
                        {
                            EndField();
                        }

                        _chunkStart++;
                        if (b == (byte)'\r')
                        {
                            _state = State.AfterCarriageReturn;
                            continue;
                        }

                        _state = State.FieldStart;
                        NewLine();
                        if (blank)
                        {
                            continue;
                        }

                        return true;
                    }

                    if (b == (byte)'"')
                    {
                        return Fail("a quote inside an unquoted field; quote the whole field and double the quote");
                    }

                    if (!Append(b))
                    {
                        return false;
                    }

                    Advance(b);
                    continue;
                case State.Quoted:
                    if (b == (byte)'"')
                    {
                        _state = State.QuoteInQuoted;
                        Advance(b);
                        continue;
                    }

                    if (!Append(b))
                    {
                        return false;
                    }

                    if (b == (byte)'\n')
                    {
                        _chunkStart++;
                        NewLine();
                        continue;
                    }

                    Advance(b);
                    continue;
                case State.QuoteInQuoted:
                    if (b == (byte)'"')
                    {
                        if (!Append(b))
                        {
                            return false;
                        }

                        _state = State.Quoted;
                        Advance(b);
                        continue;
                    }

                    if (b is (byte)',' or (byte)'\r' or (byte)'\n')
                    {
                        // Invariant: a closed quoted field ends exactly like an unquoted one, with an empty remainder.
                        _state = State.Unquoted;
                        continue;
                    }

                    return Fail("text after a closing quote; a quoted field ends at the quote");
            }
        }

        return false;
    }

    private bool Finish()
    {
        switch (_state)
        {
            case State.Quoted:
                return Fail("a quoted field is not closed before the end of the file");
            case State.AfterCarriageReturn:
                _state = State.FieldStart;
                return _fieldCount > 0;
            case State.Unquoted:
            case State.QuoteInQuoted:
                EndField();
                _state = State.FieldStart;
                return true;
            default:
                // Invariant: FieldStart after a comma means a final empty field; after a record end it means no record.
                if (_fieldCount > 0)
                {
                    StartField();
                    EndField();
                    return true;
                }

                return false;
        }
    }

    private void StartField()
    {
        if (_fieldCount == _fieldColumns.Length)
        {
            Array.Resize(ref _fieldColumns, _fieldCount * 2);
            Array.Resize(ref _fieldEnds, _fieldCount * 2);
        }

        _fieldColumns[_fieldCount] = _column;
    }

    private void EndField() => _fieldEnds[_fieldCount++] = _recordLength;

    private bool Append(byte b)
    {
        if (_recordLength == _record.Length)
        {
            if (_recordLength >= MaxRecordLength)
            {
                return Fail($"a record is longer than {MaxRecordLength} bytes");
            }

            var larger = ArrayPool<byte>.Shared.Rent(_record.Length * 2);
            _record.AsSpan(0, _recordLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_record);
            _record = larger;
        }

        _record[_recordLength++] = b;
        return true;
    }

    private void Advance(byte b)
    {
        _chunkStart++;

        // A character starts at any byte that is not a UTF-8 continuation byte (10xxxxxx).
        if ((b & 0xC0) != 0x80)
        {
            _column++;
        }
    }

    private void NewLine()
    {
        _line++;
        _column = 1;
    }

    private bool Fail(string message)
    {
        SyntaxError = message;
        SyntaxErrorLine = _line;
        SyntaxErrorColumn = _column;
        return false;
    }
}
