using System.IO.Compression;
using System.Security.Cryptography;
using Concordat.Attestations;
using Concordat.Core;

namespace Concordat.Evidence;

/// <summary>
/// Writes a zip canonically: entries in the order given, every one with the same fixed time and compression, and
/// records each file's SHA-256 as it streams through, for the manifest written last.
/// </summary>
internal sealed class CanonicalZipWriter : IDisposable
{
    private readonly ZipArchive _archive;
    private readonly List<AttestationSubject> _subjects = [];

    public CanonicalZipWriter(Stream output)
    {
        _archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
    }

    /// <summary>Gets the files written so far with their digests, in order.</summary>
    public IReadOnlyList<AttestationSubject> Subjects => _subjects;

    /// <summary>Writes one file whose content <paramref name="write"/> streams.</summary>
    public async Task WriteAsync(string name, Func<Stream, Task> write)
    {
        var entry = _archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EvidencePackLayout.EntryTime;
        var stream = entry.Open();
        await using (stream.ConfigureAwait(false))
        {
            using var hashing = new HashingStream(stream);
            await write(hashing).ConfigureAwait(false);
            _subjects.Add(AttestationSubject.FromSha256(name, Sha256Digest.FromBytes(hashing.Hash())));
        }
    }

    /// <summary>Writes one file of the given bytes.</summary>
    public Task WriteAsync(string name, ReadOnlyMemory<byte> content) =>
        WriteAsync(name, s => s.WriteAsync(content).AsTask());

    /// <summary>Writes the last file, which the manifest does not cover (it is the manifest).</summary>
    public async Task WriteUnlistedAsync(string name, ReadOnlyMemory<byte> content)
    {
        var entry = _archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EvidencePackLayout.EntryTime;
        var stream = entry.Open();
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content).ConfigureAwait(false);
        }
    }

    public void Dispose() => _archive.Dispose();

    /// <summary>A write-only stream that hashes what passes through it.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte[] Hash() => _hash.GetHashAndReset();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _hash.AppendData(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
