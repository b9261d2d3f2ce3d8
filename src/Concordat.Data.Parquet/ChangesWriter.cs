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
/// Invariant: both versions pass through <see cref="EgressWriter"/> under the same plan, so the rows compared are the
/// rows the recipient would receive (field rules carried out, row rules applied), and a change is a change of those rows:
/// a row withheld in both versions is in neither part. Rows are compared as multisets of their NDJSON lines.
/// </para>
/// <para>
/// Memory: one 16-byte key (the first half of the line's SHA-256) and a count per distinct row of the older version;
/// the rows themselves stream, in row groups. The older version is read twice, the newer once.
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
        await using var sink = await RowGroupSink.CreateAsync(plan.Fields, hashing, hasChangeType: true, cancellationToken);
        var complete = await PassAsync(plan, store, previous, new CountingLines(counts), cancellationToken);
        sink.ChangeType = Insert;
        var inserts = new ChangeLines(sink, counts, emitsMatched: false);
        complete = complete && await PassAsync(plan, store, current, inserts, cancellationToken);
        sink.ChangeType = Delete;
        var deletes = new ChangeLines(sink, counts, emitsMatched: true);
        complete = complete && await PassAsync(plan, store, previous, deletes, cancellationToken);
        if (complete)
        {
            await sink.CompleteAsync(cancellationToken);
            await hashing.FlushAsync(cancellationToken);
        }

        return new EgressReceipt(inserts.Rows + deletes.Rows, hashing.BytesWritten, hashing.Digest(), 0, 0, complete);
    }

    private static async Task<bool> PassAsync(EgressPlan plan, DatasetStore store, DatasetManifest version, NdjsonLineSink lines, CancellationToken cancellationToken)
    {
        await using var rows = store.OpenRows(version);
        return (await EgressWriter.WriteAsync(plan, rows, lines, RowFormat.Ndjson, cancellationToken)).IsComplete;
    }

    private static UInt128 KeyOf(ReadOnlySpan<byte> line)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(line, digest);
        return MemoryMarshal.Read<UInt128>(digest);
    }

    // The first pass: how many times each row of the older version occurs.
    private sealed class CountingLines(Dictionary<UInt128, int> counts) : NdjsonLineSink
    {
        protected override void OnLine(ReadOnlySpan<byte> line) => CollectionsMarshal.GetValueRefOrAddDefault(counts, KeyOf(line), out _)++;
    }

    // A row matches while the older version has an occurrence of it left to match, which it then uses up: the newer
    // version's unmatched rows are inserts; the older version's rows still unmatched after that are deletes.
    private sealed class ChangeLines(RowGroupSink sink, Dictionary<UInt128, int> counts, bool emitsMatched) : NdjsonLineSink
    {
        public long Rows { get; private set; }

        protected override void OnLine(ReadOnlySpan<byte> line)
        {
            ref var left = ref CollectionsMarshal.GetValueRefOrNullRef(counts, KeyOf(line));
            var isMatched = !Unsafe.IsNullRef(ref left) && left > 0;
            if (isMatched)
            {
                left--;
            }

            if (isMatched == emitsMatched)
            {
                sink.AddRow(line);
                Rows++;
            }
        }

        protected override ValueTask AfterLineAsync(CancellationToken cancellationToken) => sink.WriteIfFullAsync(cancellationToken);
    }
}
