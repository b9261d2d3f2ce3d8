using System.Buffers;

namespace Concordat.Data.Parquet;

/// <summary>
/// A destination the egress writer streams NDJSON into, cut into lines: each whole line (without its LF) is handed to
/// <see cref="OnLine"/>, then <see cref="AfterLineAsync"/> is awaited.
/// </summary>
/// <remarks>Invariant: a line split across two writes is put together in one buffer first, so a line is never seen in parts.</remarks>
internal abstract class NdjsonLineSink : Stream
{
    private readonly ArrayBufferWriter<byte> _partial = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Gets a value indicating whether a line has begun and not ended.</summary>
    protected bool IsInsideLine => _partial.WrittenCount > 0;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var rest = buffer;
        while (!rest.IsEmpty)
        {
            var newline = rest.Span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _partial.Write(rest.Span);
                break;
            }

            if (_partial.WrittenCount > 0)
            {
                _partial.Write(rest.Span[..newline]);
                OnLine(_partial.WrittenSpan);
                _partial.ResetWrittenCount();
            }
            else
            {
                OnLine(rest.Span[..newline]);
            }

            rest = rest[(newline + 1)..];
            await AfterLineAsync(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the egress writer writes asynchronously");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Takes one whole line, without its LF.</summary>
    protected abstract void OnLine(ReadOnlySpan<byte> line);

    /// <summary>Runs after each line, for work that waits (a full row group written out).</summary>
    protected virtual ValueTask AfterLineAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
