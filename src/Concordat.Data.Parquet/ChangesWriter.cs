using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;

namespace Concordat.Data.Parquet;

/// <summary>
/// Writes the changes between two versions of a dataset, as a recipient sees them, as one Parquet file: the rows the
/// plan lets leave from the newer version and not from the older (<c>insert</c>), then the reverse (<c>delete</c>).
/// </summary>
/// <remarks>
/// <para>
/// Invariant: both versions pass through <see cref="EgressWriter.WriteBatchesAsync"/> under the same plan, so the rows
/// compared are the rows the recipient would receive (field rules carried out, row rules applied), and a change is a
/// change of those rows: a row withheld in both versions is in neither part. Rows are compared as multisets of their
/// cells.
/// </para>
/// <para>
/// Memory: one 16-byte key (the first half of the SHA-256 of its cells) and a count per distinct row of the older version;
/// the rows themselves stream, in batches and row groups. The older version is read twice, the newer once.
/// </para>
/// </remarks>
internal static class ChangesWriter
{
    /// <summary>The change type of a row the newer version has and the older has not.</summary>
    public const string Insert = "insert";

    /// <summary>The change type of a row the older version has and the newer has not.</summary>
    public const string Delete = "delete";

    public static async Task<EgressReceipt> WriteAsync(EgressPlan plan, DatasetStore store, DatasetManifest previous, DatasetManifest current, Stream destination, CancellationToken cancellationToken)
    {
        var hashing = new HashingStream(destination);
        var counts = new Dictionary<UInt128, int>();
        var columns = plan.Fields.Count;
        await using var writer = await RowGroupWriter.CreateAsync(plan.Fields, hashing, hasChangeType: true, cancellationToken);
        using var input = new EgressBatch(columns, RowGroupWriter.RowGroupRows);
        using var output = new EgressBatch(columns, RowGroupWriter.RowGroupRows);
        var keys = new RowKeys();
        var complete = await PassAsync(plan, store, previous, input, (batch, token) =>
        {
            for (var row = 0; row < batch.Count; row++)
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, keys.Of(batch, row), out _)++;
            }

            return ValueTask.FromResult(batch);
        }, cancellationToken);
        var inserts = new ChangeRows(writer, output, counts, keys, emitsMatched: false, Insert);
        complete = complete && await PassAsync(plan, store, current, input, inserts.TakeAsync, cancellationToken);
        complete = complete && await inserts.FlushAsync(cancellationToken);
        var deletes = new ChangeRows(writer, output, counts, keys, emitsMatched: true, Delete);
        complete = complete && await PassAsync(plan, store, previous, input, deletes.TakeAsync, cancellationToken);
        complete = complete && await deletes.FlushAsync(cancellationToken);
        if (complete)
        {
            await writer.CompleteAsync();
            await hashing.FlushAsync(cancellationToken);
        }

        return new EgressReceipt(inserts.Rows + deletes.Rows, hashing.BytesWritten, hashing.Digest(), 0, 0, complete);
    }

    private static async Task<bool> PassAsync(EgressPlan plan, DatasetStore store, DatasetManifest version, EgressBatch batch, Func<EgressBatch, CancellationToken, ValueTask<EgressBatch>> take, CancellationToken cancellationToken)
    {
        await using var rows = store.OpenRows(version);
        return (await EgressWriter.WriteBatchesAsync(plan, rows, batch, take, cancellationToken)).IsComplete;
    }

    // A row's key: the first half of the SHA-256 of its cells, each written as a null marker or a length and its bytes,
    // so that two rows have one key only when every cell is equal.
    private sealed class RowKeys
    {
        private byte[] _buffer = new byte[1024];

        public UInt128 Of(EgressBatch batch, int row)
        {
            var length = 0;
            for (var column = 0; column < batch.ColumnCount; column++)
            {
                var value = batch.GetValue(column, row);
                if (_buffer.Length < length + value.Length + 5)
                {
                    Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, length + value.Length + 5));
                }

                if (batch.IsNull(column, row))
                {
                    _buffer[length++] = 0;
                    continue;
                }

                _buffer[length] = 1;
                BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(length + 1), value.Length);
                value.CopyTo(_buffer.AsSpan(length + 5));
                length += value.Length + 5;
            }

            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(_buffer.AsSpan(0, length), digest);
            return MemoryMarshal.Read<UInt128>(digest);
        }
    }

    // A row matches while the older version has an occurrence of it left to match, which it then uses up: the newer
    // version's unmatched rows are inserts; the older version's rows still unmatched after that are deletes.
    private sealed class ChangeRows(RowGroupWriter writer, EgressBatch output, Dictionary<UInt128, int> counts, RowKeys keys, bool emitsMatched, string changeType)
    {
        public long Rows { get; private set; }

        public async ValueTask<EgressBatch> TakeAsync(EgressBatch batch, CancellationToken cancellationToken)
        {
            for (var row = 0; row < batch.Count; row++)
            {
                ref var left = ref CollectionsMarshal.GetValueRefOrNullRef(counts, keys.Of(batch, row));
                var isMatched = !Unsafe.IsNullRef(ref left) && left > 0;
                if (isMatched)
                {
                    left--;
                }

                if (isMatched == emitsMatched)
                {
                    output.AppendRow(batch, row);
                    Rows++;
                    if (output.IsFull)
                    {
                        await FlushAsync(cancellationToken);
                    }
                }
            }

            return batch;
        }

        public async ValueTask<bool> FlushAsync(CancellationToken cancellationToken)
        {
            await writer.WriteAsync(output, changeType, cancellationToken);
            output.Clear();
            return true;
        }
    }
}
