using Concordat.Log;
using Concordat.Merkle;
using Npgsql;
using NpgsqlTypes;

namespace Concordat.Storage.Postgres;

/// <summary>
/// The transparency log's storage in a PostgreSQL database. Several log instances (gateway replicas) may write to
/// one database at once: each batch locks the log's head row, so indices are never assigned twice and the tree
/// never forks.
/// </summary>
/// <remarks>
/// Every append transaction runs with <c>synchronous_commit = on</c>, and opening refuses a server with
/// <c>fsync</c> off, so a committed append is durable.
/// </remarks>
public sealed class PostgresLogStorage : ILogStorage
{
    // An arbitrary, fixed advisory lock key that serialises schema creation between instances.
    private const long SchemaLockKey = 0x436f6e636f726400;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private long _commits;

    private PostgresLogStorage(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>Gets the number of append transactions committed by this instance (a test hook for group commit).</summary>
    internal long CommittedTransactions => Interlocked.Read(ref _commits);

    /// <summary>Opens the log in the database of <paramref name="connectionString"/>, creating its tables if needed.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The storage.</returns>
    /// <exception cref="InvalidOperationException">The server runs with <c>fsync</c> off, so commits would not be durable.</exception>
    public static Task<PostgresLogStorage> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return OpenAsync(NpgsqlDataSource.Create(connectionString), ownsDataSource: true, cancellationToken);
    }

    /// <summary>Opens the log in the database of <paramref name="dataSource"/>, creating its tables if needed.</summary>
    /// <param name="dataSource">The data source; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The storage.</returns>
    /// <exception cref="InvalidOperationException">The server runs with <c>fsync</c> off, so commits would not be durable.</exception>
    public static Task<PostgresLogStorage> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return OpenAsync(dataSource, ownsDataSource: false, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT tree_size FROM log_head WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("the log database has no head row"));
    }

    /// <inheritdoc/>
    public async Task<bool> TryAppendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Invariant: FOR UPDATE holds the head row until commit, so every other writer waits here and then sees
        // the new size: one index is never assigned twice and two writers never extend the same tree size.
        await using (var head = new NpgsqlCommand("SELECT tree_size FROM log_head WHERE id = 1 FOR UPDATE", connection, transaction))
        {
            var size = (long)(await head.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException("the log database has no head row"));
            if (size != batch.StartIndex)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }
        }

        await using var writes = new NpgsqlBatch(connection, transaction);

        // Security: durability is set on the transaction itself, so a server or role default cannot weaken it.
        writes.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = on"));
        var indices = new long[batch.Entries.Count];
        var entries = new byte[batch.Entries.Count][];
        for (var i = 0; i < entries.Length; i++)
        {
            indices[i] = batch.StartIndex + i;
            entries[i] = batch.Entries[i].ToArray();
        }

        var entryInsert = new NpgsqlBatchCommand("INSERT INTO log_entries (idx, entry) SELECT * FROM unnest($1, $2)");
        entryInsert.Parameters.Add(new NpgsqlParameter { Value = indices, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        entryInsert.Parameters.Add(new NpgsqlParameter { Value = entries, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        writes.BatchCommands.Add(entryInsert);

        var levels = new int[batch.Nodes.Count];
        var nodeIndices = new long[batch.Nodes.Count];
        var hashes = new byte[batch.Nodes.Count][];
        for (var i = 0; i < hashes.Length; i++)
        {
            levels[i] = batch.Nodes[i].Id.Level;
            nodeIndices[i] = batch.Nodes[i].Id.Index;
            hashes[i] = batch.Nodes[i].Hash.ToArray();
        }

        var nodeInsert = new NpgsqlBatchCommand("INSERT INTO log_tree (level, idx, hash) SELECT * FROM unnest($1, $2, $3)");
        nodeInsert.Parameters.Add(new NpgsqlParameter { Value = levels, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        nodeInsert.Parameters.Add(new NpgsqlParameter { Value = nodeIndices, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        nodeInsert.Parameters.Add(new NpgsqlParameter { Value = hashes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        writes.BatchCommands.Add(nodeInsert);

        var headUpdate = new NpgsqlBatchCommand("UPDATE log_head SET tree_size = $1 WHERE id = 1");
        headUpdate.Parameters.Add(new NpgsqlParameter { Value = batch.EndSize });
        writes.BatchCommands.Add(headUpdate);
        await writes.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        // Invariant: with synchronous_commit on, COMMIT returns after the WAL record is flushed: the batch is durable.
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _commits);
        return true;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long startIndex, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var command = _dataSource.CreateCommand("SELECT idx, entry FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx");
        command.Parameters.Add(new NpgsqlParameter { Value = startIndex });
        command.Parameters.Add(new NpgsqlParameter { Value = startIndex + count });
        var result = new List<(long, byte[])>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<byte[]?>> ReadHashesAsync(IReadOnlyList<MerkleNodeId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new byte[]?[ids.Count];
        if (ids.Count == 0)
        {
            return result;
        }

        await using var command = _dataSource.CreateCommand(
            "SELECT t.ord, h.hash FROM unnest($1, $2) WITH ORDINALITY AS t(level, idx, ord) " +
            "JOIN log_tree h ON h.level = t.level AND h.idx = t.idx");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.Select(i => i.Level).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = ids.Select(i => i.Index).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetInt64(0) - 1] = (byte[])reader.GetValue(1);
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = on"));
        var insert = new NpgsqlBatchCommand("INSERT INTO log_checkpoints (tree_size, note) VALUES ($1, $2) ON CONFLICT (tree_size) DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.TreeSize });
        insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Note });
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoredCheckpoint?> ReadLatestCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT tree_size, note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1");
        var latest = await ReadCheckpointsAsync(command, cancellationToken).ConfigureAwait(false);
        return latest.Count == 0 ? null : latest[0];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(long minTreeSize, int count, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT tree_size, note FROM log_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = minTreeSize });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)count });
        return await ReadCheckpointsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a server setting (a test hook for the durability settings).</summary>
    internal async Task<string> ReadSettingAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT current_setting($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Runs one SQL statement, bypassing the log (a test hook for tampering).</summary>
    internal async Task ExecuteForTestAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<PostgresLogStorage> OpenAsync(NpgsqlDataSource dataSource, bool ownsDataSource, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (var fsync = new NpgsqlCommand("SELECT current_setting('fsync')", connection))
            {
                // Security: an acknowledged entry must survive a crash; refuse a server that does not sync its WAL.
                if ((string?)await fsync.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) != "on")
                {
                    throw new InvalidOperationException("the PostgreSQL server runs with `fsync` off, so appends would not be durable: turn it on");
                }
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var schema = new NpgsqlCommand(
                $"""
                SELECT pg_advisory_xact_lock({SchemaLockKey});
                CREATE TABLE IF NOT EXISTS log_head (id integer PRIMARY KEY CHECK (id = 1), tree_size bigint NOT NULL);
                INSERT INTO log_head (id, tree_size) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
                CREATE TABLE IF NOT EXISTS log_entries (idx bigint PRIMARY KEY, entry bytea NOT NULL);
                CREATE TABLE IF NOT EXISTS log_tree (level integer NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY (level, idx));
                CREATE TABLE IF NOT EXISTS log_checkpoints (tree_size bigint PRIMARY KEY, note text NOT NULL);
                """,
                connection,
                transaction);
            await schema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresLogStorage(dataSource, ownsDataSource);
        }
        catch
        {
            if (ownsDataSource)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    private static async Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var result = new List<StoredCheckpoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new StoredCheckpoint(reader.GetInt64(0), reader.GetString(1)));
        }

        return result;
    }
}
