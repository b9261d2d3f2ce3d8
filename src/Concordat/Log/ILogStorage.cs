using Concordat.Merkle;

namespace Concordat.Log;

/// <summary>
/// Durable storage for one transparency log: entries, the hashes of every perfect subtree, and the history
/// of signed checkpoints. One storage engine implements it per database (SQLite, PostgreSQL).
/// </summary>
/// <remarks>
/// <para>Implementations MUST be safe to call from several threads at once. Only <see cref="TryAppendAsync"/>
/// and the <c>AddCheckpointAsync</c> methods write; a storage opened for reading only throws
/// <see cref="InvalidOperationException"/> from them and writes nothing, not even on opening or closing.</para>
/// <para>Implementations MUST NOT compute or repair hashes: they store what they are given and return what they
/// stored, so that verification can find anything changed underneath them.</para>
/// </remarks>
public interface ILogStorage : IAsyncDisposable
{
    /// <summary>Reads the durable tree size: the number of entries whose append has committed.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The committed tree size.</returns>
    Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes a batch in one transaction, if and only if the stored tree size equals
    /// <see cref="LogBatch.StartIndex"/>.
    /// </summary>
    /// <param name="batch">The entries and hashes to write.</param>
    /// <param name="cancellationToken">Cancels the write before it commits.</param>
    /// <returns>
    /// <see langword="true"/> when the batch committed; <see langword="false"/>, having written nothing, when
    /// the stored tree size differs (another writer appended first: re-read the tree and try again).
    /// </returns>
    /// <remarks>
    /// The check of the tree size and the writes MUST happen in one transaction that holds the log's head
    /// exclusively, so that two writers on one database never assign one index twice nor fork the tree.
    /// The task MUST complete only after the transaction is durable (the commit has reached stable storage):
    /// callers MUST NOT treat an entry as logged before the task completes with <see langword="true"/>.
    /// </remarks>
    Task<bool> TryAppendAsync(LogBatch batch, CancellationToken cancellationToken);

    /// <summary>Reads consecutive stored entries.</summary>
    /// <param name="startIndex">The first index to read.</param>
    /// <param name="count">The greatest number of entries to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The stored entries from <paramref name="startIndex"/> in index order, each with its index; an index with no
    /// stored entry is absent from the list (the list then has a gap), never invented.
    /// </returns>
    Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long startIndex, int count, CancellationToken cancellationToken);

    /// <summary>Reads stored subtree hashes.</summary>
    /// <param name="ids">The nodes to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// One element per id, in the order asked, holding the bytes exactly as stored; <see langword="null"/> where no
    /// hash is stored. <see cref="LogHashSource"/> turns this into the <see cref="IMerkleHashSource"/> that proofs read.
    /// </returns>
    Task<IReadOnlyList<byte[]?>> ReadHashesAsync(IReadOnlyList<MerkleNodeId> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Reads stored subtree hashes for the log's writer: the check of the stored right edge that runs before every
    /// commit (see <see cref="TransparencyLog"/>). Answers as <see cref="ReadHashesAsync"/> does, which is the default.
    /// </summary>
    /// <param name="ids">The nodes to read (at most one per level).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One element per id, as <see cref="ReadHashesAsync"/> returns them.</returns>
    /// <remarks>
    /// An engine MAY read these through the connection it appends with, where the pages its last commits wrote are
    /// still cached, instead of a reader that must take a snapshot after every commit; it MUST still return what is
    /// stored, never what it remembers having written, so that a change made underneath the log is found.
    /// </remarks>
    Task<IReadOnlyList<byte[]?>> ReadHashesForWriterAsync(IReadOnlyList<MerkleNodeId> ids, CancellationToken cancellationToken) =>
        ReadHashesAsync(ids, cancellationToken);

    /// <summary>
    /// Adds a signed checkpoint to the history and, when <paramref name="historyRecord"/> is given, replaces the signed
    /// record of the history, in one transaction.
    /// </summary>
    /// <param name="checkpoint">The checkpoint; a checkpoint of the same tree size already stored is kept.</param>
    /// <param name="historyRecord">The signed record of the history with the checkpoint added (a signed note; see
    /// <see cref="CheckpointHistory"/>), stored as given; <see langword="null"/> leaves the record as it is (only tests
    /// that build an older log, which had no record, pass none).</param>
    /// <param name="cancellationToken">Cancels the write before it commits.</param>
    /// <returns>A task that completes once both are durable.</returns>
    /// <remarks>
    /// The checkpoint and the record MUST be written in one transaction, so that a crash never leaves a history that
    /// does not match its record. Callers MUST check consistency with the latest stored checkpoint before adding one.
    /// </remarks>
    Task AddCheckpointAsync(StoredCheckpoint checkpoint, string? historyRecord, CancellationToken cancellationToken);

    /// <summary>Reads the signed record of the checkpoint history.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record as stored, or <see langword="null"/> when none was ever stored (a log from before records).</returns>
    Task<string?> ReadHistoryRecordAsync(CancellationToken cancellationToken);

    /// <summary>Reads the latest checkpoint: the one with the greatest tree size.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The latest checkpoint, or <see langword="null"/> when none was ever stored.</returns>
    Task<StoredCheckpoint?> ReadLatestCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Reads part of the checkpoint history.</summary>
    /// <param name="minTreeSize">The smallest tree size to return.</param>
    /// <param name="count">The greatest number of checkpoints to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Stored checkpoints of tree size at least <paramref name="minTreeSize"/>, by increasing tree size.</returns>
    Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(long minTreeSize, int count, CancellationToken cancellationToken);
}
