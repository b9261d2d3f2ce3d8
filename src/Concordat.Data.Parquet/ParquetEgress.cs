using Concordat.Data.Datasets;
using Concordat.Data.Egress;

namespace Concordat.Data.Parquet;

/// <summary>
/// Writes the rows a plan lets leave as one Parquet file, with the plan's field and row rules already carried out.
/// </summary>
/// <remarks>
/// <para>
/// The rows pass through <see cref="EgressWriter"/> exactly as the rows endpoint sends them, then into row groups of
/// at most 65,536 rows: memory is flat in the number of rows. Column types follow the agreement's schema
/// (docs/api.md, "Delta Sharing", type mapping); transformed columns are text.
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
        await using var sink = await RowGroupSink.CreateAsync(plan.Fields, hashing, hasChangeType: false, cancellationToken);
        var rowsReceipt = await EgressWriter.WriteAsync(plan, rows, sink, RowFormat.Ndjson, cancellationToken);
        if (rowsReceipt.IsComplete)
        {
            await sink.CompleteAsync(cancellationToken);
            await hashing.FlushAsync(cancellationToken);
        }

        return rowsReceipt with { BytesSent = hashing.BytesWritten, Sha256 = hashing.Digest() };
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
