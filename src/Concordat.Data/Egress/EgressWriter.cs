using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Privacy;

namespace Concordat.Data.Egress;

/// <summary>
/// Streams a dataset's rows through an <see cref="EgressPlan"/> to a destination, in constant memory.
/// </summary>
/// <remarks>
/// <para>
/// Rows are read one at a time, transformed into a pooled buffer and written in chunks of about
/// <see cref="FlushThreshold"/> bytes; the dataset is never held in memory. Every byte written is hashed, so the
/// receipt's SHA-256 is that of exactly the bytes the destination received.
/// </para>
/// <para>
/// The cancellation token is checked before every row and passed to every read and write: cancelling it (a seal,
/// a client gone) stops the stream within one row or one write, and the receipt says the stream is incomplete.
/// </para>
/// </remarks>
public static class EgressWriter
{
    /// <summary>The buffered bytes that trigger a write to the destination.</summary>
    internal const int FlushThreshold = 32 * 1024;

    private const int BufferLength = 64 * 1024;

    private static readonly SearchValues<byte> s_csvSpecial = SearchValues.Create((byte)',', (byte)'"', (byte)'\r', (byte)'\n');

    /// <summary>The most bytes <see cref="WriteCsvField"/> writes for a value of <paramref name="length"/> bytes.</summary>
    internal static int MaxCsvFieldLength(int length) => (length * 2) + 2;

    /// <summary>Streams every row that passes the plan's row rules, transformed by its field rules.</summary>
    /// <param name="plan">The plan compiled for the token.</param>
    /// <param name="rows">The stored rows; their schema MUST match the plan (<see cref="EgressPlan.Matches"/>).</param>
    /// <param name="destination">Where the bytes go (for the gateway, the response body); flushed at the end, not disposed.</param>
    /// <param name="format">CSV or NDJSON.</param>
    /// <param name="cancellationToken">Stops the stream between rows or during a write.</param>
    /// <returns>The receipt: rows and bytes sent, their SHA-256, rows withheld; <see cref="EgressReceipt.IsComplete"/> is false when cancelled.</returns>
    /// <exception cref="InvalidOperationException">The rows' schema differs from the plan's.</exception>
    public static async Task<EgressReceipt> WriteAsync(EgressPlan plan, DatasetRowReader rows, Stream destination, RowFormat format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(destination);
        if (!plan.Matches(rows.Schema))
        {
            // Security: rules compiled for other fields could let a new or renamed field leave untouched.
            throw new InvalidOperationException("the stored dataset's fields differ from the agreement's definition of it");
        }

        using var state = new State(plan, destination);
        try
        {
            if (format == RowFormat.Csv)
            {
                state.WriteCsvHeader();
            }

            // Why two loops: the rows already read are written by a plain method (WriteBufferedRows), and only reads
            // and writes of the streams are awaited here, so the per-row path is not an async state machine.
            while (!cancellationToken.IsCancellationRequested)
            {
                if (state.WriteBufferedRows(rows, format, cancellationToken))
                {
                    await state.FlushAsync(cancellationToken);
                }
                else if (cancellationToken.IsCancellationRequested || !await rows.ReadAsync(cancellationToken))
                {
                    break;
                }
                else
                {
                    state.RowPending = true;
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                await state.FlushAsync(cancellationToken);
                await destination.FlushAsync(cancellationToken);
                return state.Receipt(isComplete: true);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Expected: the stream was stopped; the receipt reports what had been written.
        }

        return state.Receipt(isComplete: false);
    }

    /// <summary>
    /// Passes every row that passes the plan's row rules, transformed by its field rules, to a columnar writer in
    /// batches: the cells are exactly the values <see cref="WriteAsync"/> sends (the same code transforms them).
    /// </summary>
    /// <param name="plan">The plan compiled for the recipient and purpose.</param>
    /// <param name="rows">The stored rows; their schema MUST match the plan (<see cref="EgressPlan.Matches"/>).</param>
    /// <param name="batch">The empty batch filled first; it MUST have the plan's column count.</param>
    /// <param name="exchange">
    /// Takes a batch that is full (or, at the end, holds the last rows) and returns the batch to fill next: the same one
    /// once its rows are written, or another, so that writing one batch can overlap filling the next. The returned
    /// batch is cleared before it is filled.
    /// </param>
    /// <param name="cancellationToken">Stops between rows, and is passed to <paramref name="exchange"/>.</param>
    /// <returns>
    /// The receipt: the rows handed to <paramref name="exchange"/> and the rows withheld; <see cref="EgressReceipt.BytesSent"/>
    /// is 0 and <see cref="EgressReceipt.Sha256"/> that of no bytes, since the caller writes the bytes;
    /// <see cref="EgressReceipt.IsComplete"/> is false when cancelled.
    /// </returns>
    /// <exception cref="InvalidOperationException">The rows' schema differs from the plan's.</exception>
    public static async Task<EgressReceipt> WriteBatchesAsync(EgressPlan plan, DatasetRowReader rows, EgressBatch batch, Func<EgressBatch, CancellationToken, ValueTask<EgressBatch>> exchange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(exchange);
        if (!plan.Matches(rows.Schema))
        {
            // Security: rules compiled for other fields could let a new or renamed field leave untouched.
            throw new InvalidOperationException("the stored dataset's fields differ from the agreement's definition of it");
        }

        if (batch.ColumnCount != plan.Columns.Length)
        {
            throw new ArgumentException("the batch's columns are not the plan's", nameof(batch));
        }

        using var state = new State(plan, Stream.Null);
        try
        {
            batch.Clear();
            while (!cancellationToken.IsCancellationRequested)
            {
                if (state.FillBatch(rows, batch, cancellationToken))
                {
                    var rowsInBatch = batch.Count;
                    batch = await exchange(batch, cancellationToken);
                    batch.Clear();
                    state.BatchSent(rowsInBatch);
                }
                else if (cancellationToken.IsCancellationRequested || !await rows.ReadAsync(cancellationToken))
                {
                    break;
                }
                else
                {
                    state.RowPending = true;
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                var rowsInBatch = batch.Count;
                if (rowsInBatch > 0)
                {
                    await exchange(batch, cancellationToken);
                    state.BatchSent(rowsInBatch);
                }

                return state.Receipt(isComplete: true);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Expected: the stream was stopped; the receipt reports the batches handed over.
        }

        return state.Receipt(isComplete: false);
    }

    /// <summary>Writes one CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180 §2.6, §2.7).</summary>
    /// <returns>The number of bytes written.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int WriteCsvField(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        if (value.IndexOfAny(s_csvSpecial) < 0)
        {
            value.CopyTo(destination);
            return value.Length;
        }

        // Spec: RFC 4180 §2.7: a quote inside a quoted field is written as two quotes.
        destination[0] = (byte)'"';
        var at = 1;
        while (true)
        {
            var quote = value.IndexOf((byte)'"');
            if (quote < 0)
            {
                value.CopyTo(destination[at..]);
                at += value.Length;
                break;
            }

            value[..(quote + 1)].CopyTo(destination[at..]);
            at += quote + 1;
            destination[at++] = (byte)'"';
            value = value[(quote + 1)..];
        }

        destination[at++] = (byte)'"';
        return at;
    }

    // The per-stream state: buffers, hash, counters and the pseudonymiser (one HMAC instance per stream).
    // Why the per-row methods (here, in the row reader and in the privacy and crypto code they call) are compiled
    // fully optimised at their first call: under tiered compilation they started at tier 0 and waited behind the
    // start-up's methods in the JIT's background queue, so a gateway's first streams ran whole on unoptimised code at
    // three to five times the CPU (perf, 300,000 rows: [QuickJitted] throughout; docs/benchmarks.md).
    private sealed class State : IDisposable
    {
        private readonly EgressPlan _plan;
        private readonly Stream _destination;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Pseudonymiser? _pseudonymiser;
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferLength);
        private byte[] _scratch = ArrayPool<byte>.Shared.Rent(4096);
        private long _rowsBuffered;
        private long _rowsSent;
        private long _bytesSent;
        private long _filteredByConsent;
        private long _filteredByResidency;

        public State(EgressPlan plan, Stream destination)
        {
            _plan = plan;
            _destination = destination;
            _pseudonymiser = plan.PseudonymKey is { } key ? new Pseudonymiser(key) : null;
        }

        private int Used { get; set; }

        /// <summary>Gets or sets whether the reader's current row is still to be written.</summary>
        public bool RowPending { get; set; }

        /// <summary>
        /// Writes the reader's current row when pending, then the rows the reader holds without reading, until the
        /// output is due a flush.
        /// </summary>
        /// <returns><see langword="true"/> when the output must be flushed; <see langword="false"/> when the reader must read, or on cancellation.</returns>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool WriteBufferedRows(DatasetRowReader rows, RowFormat format, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!RowPending)
                {
                    if (!rows.TryReadBuffered())
                    {
                        return false;
                    }

                    RowPending = true;
                }

                if (Admit(rows))
                {
                    var needed = MaxRowLength(rows);
                    if (Used > 0 && Used + needed > _buffer.Length)
                    {
                        return true;
                    }

                    EnsureCapacity(needed);
                    WriteRow(rows, format);
                }

                RowPending = false;
                if (Used >= FlushThreshold)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Adds the reader's current row when pending, then the rows the reader holds without reading, to the batch
        /// until it is full.
        /// </summary>
        /// <returns><see langword="true"/> when the batch is full; <see langword="false"/> when the reader must read, or on cancellation.</returns>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool FillBatch(DatasetRowReader rows, EgressBatch batch, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (batch.IsFull)
                {
                    return true;
                }

                if (!RowPending)
                {
                    if (!rows.TryReadBuffered())
                    {
                        return false;
                    }

                    RowPending = true;
                }

                if (Admit(rows))
                {
                    AddRow(rows, batch);
                }

                RowPending = false;
            }

            return false;
        }

        /// <summary>Counts the rows of a batch handed to its writer as sent.</summary>
        public void BatchSent(int rows) => _rowsSent += rows;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool Admit(DatasetRowReader rows)
        {
            switch (_plan.Admit(rows))
            {
                case RowAdmission.WithheldByConsent:
                    _filteredByConsent++;
                    return false;
                case RowAdmission.WithheldByResidency:
                    _filteredByResidency++;
                    return false;
                default:
                    return true;
            }
        }

        // An upper bound on the bytes one row takes in either format.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int MaxRowLength(DatasetRowReader rows)
        {
            var length = 3;
            foreach (var column in _plan.Columns)
            {
                var value = Math.Max(rows.GetValue(column.SourceIndex).Length, Math.Max(Generalisation.MaxRangeLength, Pseudonymiser.PseudonymLength));
                length += column.JsonName.Length + JsonText.MaxStringLength(value) + 1;
            }

            return length;
        }

        private void EnsureCapacity(int needed)
        {
            if (_buffer.Length - Used < needed)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Used + needed);
                _buffer.AsSpan(0, Used).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
        }

        public void WriteCsvHeader()
        {
            var needed = 2;
            foreach (var column in _plan.Columns)
            {
                needed += column.CsvName.Length + 1;
            }

            EnsureCapacity(needed);
            var output = _buffer.AsSpan(Used);
            var at = 0;
            for (var i = 0; i < _plan.Columns.Length; i++)
            {
                if (i > 0)
                {
                    output[at++] = (byte)',';
                }

                _plan.Columns[i].CsvName.CopyTo(output[at..]);
                at += _plan.Columns[i].CsvName.Length;
            }

            output[at++] = (byte)'\r';
            output[at++] = (byte)'\n';
            Used += at;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void WriteRow(DatasetRowReader rows, RowFormat format)
        {
            var output = _buffer.AsSpan(Used);
            var at = format == RowFormat.Csv ? WriteCsvRow(rows, output) : WriteJsonRow(rows, output);
            Used += at;
            _rowsBuffered++;
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (Used == 0)
            {
                return;
            }

            await _destination.WriteAsync(_buffer.AsMemory(0, Used), cancellationToken);

            // Invariant: only bytes whose write completed are counted and hashed.
            _hash.AppendData(_buffer, 0, Used);
            _bytesSent += Used;
            _rowsSent += _rowsBuffered;
            _rowsBuffered = 0;
            Used = 0;
        }

        public EgressReceipt Receipt(bool isComplete) =>
            new(_rowsSent, _bytesSent, Sha256Digest.FromBytes(_hash.GetHashAndReset()), _filteredByConsent, _filteredByResidency, isComplete);

        public void Dispose()
        {
            _pseudonymiser?.Dispose();
            _hash.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
            ArrayPool<byte>.Shared.Return(_scratch);
            _buffer = [];
            _scratch = [];
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int WriteCsvRow(DatasetRowReader rows, Span<byte> output)
        {
            var at = 0;
            var columns = _plan.Columns;
            for (var i = 0; i < columns.Length; i++)
            {
                if (i > 0)
                {
                    output[at++] = (byte)',';
                }

                var column = columns[i];
                if (rows.IsNull(column.SourceIndex))
                {
                    continue;
                }

                if (column.Kind == FieldRuleKind.Pseudonymise)
                {
                    // Invariant: a pseudonym is base32 (a-z, 2-7), so it never needs quoting.
                    at += _pseudonymiser!.Pseudonymise(rows.GetValue(column.SourceIndex), output[at..]);
                }
                else if (TryTransform(column, rows.GetValue(column.SourceIndex), out var value))
                {
                    at += WriteCsvField(value, output[at..]);
                }
            }

            output[at++] = (byte)'\r';
            output[at++] = (byte)'\n';
            return at;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int WriteJsonRow(DatasetRowReader rows, Span<byte> output)
        {
            output[0] = (byte)'{';
            var at = 1;
            var columns = _plan.Columns;
            for (var i = 0; i < columns.Length; i++)
            {
                if (i > 0)
                {
                    output[at++] = (byte)',';
                }

                var column = columns[i];
                column.JsonName.CopyTo(output[at..]);
                at += column.JsonName.Length;
                if (!rows.IsNull(column.SourceIndex) && column.Kind == FieldRuleKind.Pseudonymise)
                {
                    // Invariant: a pseudonym is base32 (a-z, 2-7), so it never needs escaping.
                    output[at++] = (byte)'"';
                    at += _pseudonymiser!.Pseudonymise(rows.GetValue(column.SourceIndex), output[at..]);
                    output[at++] = (byte)'"';
                }
                else if (rows.IsNull(column.SourceIndex) || !TryTransform(column, rows.GetValue(column.SourceIndex), out var value))
                {
                    "null"u8.CopyTo(output[at..]);
                    at += 4;
                }
                else if (column.IsJsonLiteral)
                {
                    value.CopyTo(output[at..]);
                    at += value.Length;
                }
                else
                {
                    at += JsonText.WriteString(value, output[at..]);
                }
            }

            output[at++] = (byte)'}';
            output[at++] = (byte)'\n';
            return at;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AddRow(DatasetRowReader rows, EgressBatch batch)
        {
            var columns = _plan.Columns;
            for (var i = 0; i < columns.Length; i++)
            {
                var column = columns[i];
                if (rows.IsNull(column.SourceIndex))
                {
                    batch.AppendNull(i);
                }
                else if (column.Kind == FieldRuleKind.Pseudonymise)
                {
                    var written = _pseudonymiser!.Pseudonymise(rows.GetValue(column.SourceIndex), batch.GetSpan(i, Pseudonymiser.PseudonymLength));
                    batch.Advance(i, written);
                }
                else if (TryTransform(column, rows.GetValue(column.SourceIndex), out var value))
                {
                    batch.Append(i, value);
                }
                else
                {
                    batch.AppendNull(i);
                }
            }

            batch.EndRow();
        }

        // The value as it leaves, for every rule but pseudonymise (written in place); false withholds it (written as
        // null or an empty field).
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryTransform(EgressColumn column, ReadOnlySpan<byte> stored, out ReadOnlySpan<byte> value)
        {
            switch (column.Kind)
            {
                case FieldRuleKind.Allow:
                    value = stored;
                    return true;
                case FieldRuleKind.Mask:
                    var written = Masker.Mask(stored, column.MaskKeep, Scratch(stored.Length));
                    value = _scratch.AsSpan(0, written);
                    return true;
                case FieldRuleKind.Generalise:
                    // Security: a value the rule cannot coarsen is withheld, never sent as it is.
                    var ok = column.Generalisation.TryApply(stored, Scratch(Math.Max(stored.Length, Generalisation.MaxRangeLength)), out written);
                    value = _scratch.AsSpan(0, written);
                    return ok;
                default:
                    value = default;
                    return false;
            }
        }

        private Span<byte> Scratch(int length)
        {
            if (_scratch.Length < length)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(length);
            }

            return _scratch;
        }
    }
}
