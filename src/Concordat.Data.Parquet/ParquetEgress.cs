using Concordat.Data.Datasets;
using Concordat.Data.Egress;

namespace Concordat.Data.Parquet;

/// <summary>
/// Writes the rows a plan lets leave as one Parquet file, with the plan's field and row rules already carried out.
/// </summary>
/// <remarks>
/// <para>
/// The rows pass through <see cref="EgressWriter.WriteBatchesAsync"/>, the code the rows endpoint transforms them with,
/// into batches of at most 65,536 rows, each written as one row group: memory is flat in the number of rows. Writing a
/// row group (encoding, compression) overlaps filling the next batch, on another thread. Column types follow the
/// agreement's schema (docs/api.md, "Delta Sharing", type mapping); transformed columns are text.
/// </para>
/// <para>
/// The bytes are deterministic: the same plan over the same dataset version writes the same file, so a file can be
/// cached under <see cref="EgressPlan.ComputeDigest"/>.
/// </para>
/// </remarks>
public static class ParquetEgress
{
    /// <summary>Streams every row that passes the plan's row rules, transformed by its field rules, as Parquet.</summary>
    /// <param name="plan">The plan compiled for the recipient and purpose.</param>
    /// <param name="rows">The stored rows; their schema MUST match the plan.</param>
    /// <param name="destination">Where the file goes; not disposed.</param>
    /// <param name="cancellationToken">Stops the write between rows.</param>
    /// <returns>The receipt: rows sent and withheld, and the bytes and SHA-256 of the file; <see cref="EgressReceipt.IsComplete"/> is false when cancelled, and the destination then holds no valid file.</returns>
    /// <exception cref="InvalidOperationException">The rows' schema differs from the plan's.</exception>
    public static async Task<EgressReceipt> WriteAsync(EgressPlan plan, DatasetRowReader rows, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(destination);
        var hashing = new HashingStream(destination);
        var fields = plan.Fields;
        await using var writer = await RowGroupWriter.CreateAsync(fields, hashing, hasChangeType: false, cancellationToken);
        using var first = new EgressBatch(fields.Count, RowGroupWriter.RowGroupRows);
        using var second = new EgressBatch(fields.Count, RowGroupWriter.RowGroupRows);
        var writing = Task.CompletedTask;

        // Two batches: while one is written as a row group on the thread pool, the other is filled; a batch is handed
        // back only once its row group is written, and row groups are written one at a time, in order.
        async ValueTask<EgressBatch> ExchangeAsync(EgressBatch full, CancellationToken token)
        {
            await writing;
            writing = Task.Run(() => writer.WriteAsync(full, null, token), token);
            return ReferenceEquals(full, first) ? second : first;
        }

        EgressReceipt receipt;
        try
        {
            receipt = await EgressWriter.WriteBatchesAsync(plan, rows, first, ExchangeAsync, cancellationToken);
        }
        finally
        {
            // Invariant: no row group is still being written from a batch when the batches are returned to the pool.
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (receipt.IsComplete)
        {
            await writing;
            await writer.CompleteAsync();
            await hashing.FlushAsync(cancellationToken);
        }

        return receipt with { BytesSent = hashing.BytesWritten, Sha256 = hashing.Digest() };
    }

    /// <summary>Returns the Delta schema string (Delta's JSON struct type) that describes the files written under the plan.</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>The schema string for a Delta Sharing <c>metaData</c> line's <c>schemaString</c>.</returns>
    public static string DeltaSchemaString(EgressPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return ParquetColumns.DeltaSchemaString(plan.Fields);
    }
}
