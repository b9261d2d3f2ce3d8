using System.Buffers;
using System.Runtime.CompilerServices;

namespace Concordat.Data.Datasets;

/// <summary>
/// Reads LF-terminated lines (a CR before the LF is dropped) from a stream in bounded memory.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private const int InitialLength = 64 * 1024;

    private readonly Stream _stream;
    private readonly Action<ReadOnlySpan<byte>>? _onRead;
    private readonly int _maxLineLength;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _lineStart;
    private int _lineLength;
    private bool _endOfStream;

    /// <summary>Creates a reader; <paramref name="onRead"/>, when given, sees every byte read, in order (for hashing).</summary>
    public Utf8LineReader(Stream stream, int maxLineLength, Action<ReadOnlySpan<byte>>? onRead = null)
    {
        _stream = stream;
        _maxLineLength = maxLineLength;
        _onRead = onRead;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialLength, maxLineLength + 2));
    }

    /// <summary>Gets the current line, without its line end.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, _lineLength);

    /// <summary>Gets the current line as a segment of the reader's buffer: valid until the next read.</summary>
    public ArraySegment<byte> LineSegment => new(_buffer, _lineStart, _lineLength);

    /// <summary>Gets the 1-based number of the current line.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Gets a value indicating whether reading stopped at a line longer than the limit.</summary>
    public bool IsLineTooLong { get; private set; }

    /// <summary>Reads the next line.</summary>
    /// <returns><see langword="false"/> at the end of the stream or at a line longer than the limit.</returns>
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken) =>
        TryTakeLine() ? ValueTask.FromResult(true) : ReadMoreAsync(cancellationToken);

    /// <summary>Moves to the next line when it is already buffered, without reading the stream.</summary>
    /// <returns><see langword="false"/> when the next line needs a read (<see cref="ReadAsync"/>) or is too long.</returns>
    public bool TryReadBuffered() => TryTakeLine();

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private async ValueTask<bool> ReadMoreAsync(CancellationToken cancellationToken)
    {
        while (!IsLineTooLong)
        {
            if (_endOfStream)
            {
                return TakeLast();
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                if (_end > _maxLineLength)
                {
                    IsLineTooLong = true;
                    LineNumber++;
                    return false;
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _maxLineLength + 2));
                _buffer.AsSpan(0, _end).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            _onRead?.Invoke(_buffer.AsSpan(_end, read));
            _end += read;
            _endOfStream = read == 0;
            if (TryTakeLine())
            {
                return true;
            }
        }

        return false;
    }

    // Egress calls this once per row: compiled fully optimised at the first call rather than tiered (see EgressWriter).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryTakeLine()
    {
        var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        if (newline > _maxLineLength)
        {
            IsLineTooLong = true;
            LineNumber++;
            return false;
        }

        SetLine(newline);
        _start += newline + 1;
        return true;
    }

    private bool TakeLast()
    {
        if (_start == _end)
        {
            return false;
        }

        if (_end - _start > _maxLineLength)
        {
            IsLineTooLong = true;
            LineNumber++;
            return false;
        }

        SetLine(_end - _start);
        _start = _end;
        return true;
    }

    private void SetLine(int length)
    {
        _lineStart = _start;
        _lineLength = length > 0 && _buffer[_start + length - 1] == (byte)'\r' ? length - 1 : length;
        LineNumber++;
    }
}
