namespace Concordat.Witness;

/// <summary>
/// The witness's durable record of the latest checkpoint it cosigned per log.
/// </summary>
/// <remarks>
/// Spec: tlog-witness — the witness MUST persist the new checkpoint before responding, and the check of the old size
/// and the update MUST be atomic. <see cref="TryReplaceAsync"/> is that compare-and-set: it MUST return only after the
/// new record is durable, and MUST NOT replace a record other than the one the caller read.
/// </remarks>
public interface IWitnessStateStore
{
    /// <summary>Reads the latest cosigned checkpoint of a log.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when the witness never cosigned for the log.</returns>
    ValueTask<WitnessedCheckpoint?> ReadAsync(string origin, CancellationToken cancellationToken);

    /// <summary>Replaces the record of <paramref name="replacement"/>'s origin, if it is still <paramref name="expected"/>.</summary>
    /// <param name="expected">The record the caller read (<see langword="null"/>: none).</param>
    /// <param name="replacement">The new record.</param>
    /// <param name="cancellationToken">Cancels the write before it commits.</param>
    /// <returns><see langword="true"/> when the new record is durable; <see langword="false"/> when the stored record
    /// was no longer <paramref name="expected"/> (nothing was written).</returns>
    ValueTask<bool> TryReplaceAsync(WitnessedCheckpoint? expected, WitnessedCheckpoint replacement, CancellationToken cancellationToken);
}
