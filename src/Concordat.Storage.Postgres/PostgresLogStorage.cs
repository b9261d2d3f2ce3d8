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
internal sealed class PostgresLogStorage : ILogStorage
{
    // An arbitrary, fixed advisory lock key that serialises schema creation between instances.
    private const long SchemaLockKey = 0x436f6e636f726400;

    // Version 3 added log_history (the signed record of the checkpoint history); version 2 is read and upgraded.
    // Version 2 stores hashes in runs keyed by append order (MerkleNodeId.StoredIndex); version 1 stored one row
    // per hash, keyed by (level, index).
    private const int SchemaVersion = 3;
    private const int RecordlessSchemaVersion = 2;

    // The most hashes in one log_hash_runs row: 56 * 32 bytes keeps the row under PostgreSQL's TOAST threshold (about
    // 2 KB), so it is stored inline, uncompressed, and one hash is read from one heap page.
    private const int HashesPerRow = 56;

    // The SQLSTATE that log_advance_head raises when the stored tree size is not the batch's start (class CL is
    // not used by PostgreSQL itself).
    private const string HeadMovedSqlState = "CL001";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly bool _isReadOnly;
    private readonly bool _hasHistory;
    private long _commits;

    private PostgresLogStorage(NpgsqlDataSource dataSource, bool ownsDataSource, bool isReadOnly = false, bool hasHistory = true)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _isReadOnly = isReadOnly;
        _hasHistory = hasHistory;
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

    /// <summary>Opens the log in the database of <paramref name="dataSource"/> for reading only: it creates and writes nothing.</summary>
    /// <param name="dataSource">The data source; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The storage; its write methods throw <see cref="InvalidOperationException"/>.</returns>
    /// <exception cref="FileNotFoundException">The database holds no log.</exception>
    /// <exception cref="InvalidDataException">The log has a schema version this version of Concordat does not read.</exception>
    public static async Task<PostgresLogStorage> OpenForReadingAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var version = await ReadSchemaVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (version == 0)
        {
            throw new FileNotFoundException($"database `{connection.Database}` holds no log");
        }

        if (version is not (RecordlessSchemaVersion or SchemaVersion))
        {
            throw new InvalidDataException(
                $"the log in database `{connection.Database}` has schema version {version}, but this version of Concordat reads versions {RecordlessSchemaVersion} and {SchemaVersion}");
        }

        return new PostgresLogStorage(dataSource, ownsDataSource: false, isReadOnly: true, hasHistory: version == SchemaVersion);
    }

    /// <summary>Tells whether the database of <paramref name="dataSource"/> holds a log, without creating one.</summary>
    /// <param name="dataSource">The data source; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when the log's tables exist in the role's <c>search_path</c>.</returns>
    public static async Task<bool> ExistsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("SELECT to_regclass('log_head') IS NOT NULL");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
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
        EnsureWritable();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var writes = CreateAppendBatch(connection, batch);

        // Each pooled connection parses and plans the statements once; later batches on it only bind and execute.
        await writes.PrepareAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await writes.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == HeadMovedSqlState)
        {
            // Invariant: the error aborted the implicit transaction before Sync, so none of the batch was written.
            return false;
        }

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

        var keys = new long[ids.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = ids[i].StoredIndex;
        }

        // The row holding a hash is the one with the greatest first id at or below it; the hash is absent when that
        // row's run ends before it.
        await using var command = _dataSource.CreateCommand(
            $"""
            SELECT t.ord, substr(h.hashes, ((t.id - h.start) * {Rfc6962.HashSize} + 1)::integer, {Rfc6962.HashSize})
            FROM unnest($1) WITH ORDINALITY AS t(id, ord)
            CROSS JOIN LATERAL (SELECT start, hashes FROM log_hash_runs WHERE start <= t.id ORDER BY start DESC LIMIT 1) AS h
            WHERE (t.id - h.start) * {Rfc6962.HashSize} < length(h.hashes)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result[reader.GetInt64(0) - 1] = (byte[])reader.GetValue(1);
        }

        return result;
    }

    /// <inheritdoc/>
    public Task AddCheckpointAsync(StoredCheckpoint checkpoint, string? historyRecord, CancellationToken cancellationToken) =>
        WriteCheckpointAsync(checkpoint, historyRecord, cancellationToken);

    /// <inheritdoc/>
    public async Task<string?> ReadHistoryRecordAsync(CancellationToken cancellationToken)
    {
        if (!_hasHistory)
        {
            return null;
        }

        await using var command = _dataSource.CreateCommand("SELECT note FROM log_history WHERE id = 1");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private void EnsureWritable()
    {
        if (_isReadOnly)
        {
            throw new InvalidOperationException("the log was opened for reading only: it cannot be written");
        }
    }

    private async Task WriteCheckpointAsync(StoredCheckpoint checkpoint, string? historyRecord, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        EnsureWritable();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL synchronous_commit = on"));
        var insert = new NpgsqlBatchCommand("INSERT INTO log_checkpoints (tree_size, note) VALUES ($1, $2) ON CONFLICT (tree_size) DO NOTHING");
        insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.TreeSize });
        insert.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Note });
        batch.BatchCommands.Add(insert);
        if (historyRecord is not null)
        {
            var record = new NpgsqlBatchCommand("INSERT INTO log_history (id, note) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET note = EXCLUDED.note");
            record.Parameters.Add(new NpgsqlParameter { Value = historyRecord });
            batch.BatchCommands.Add(record);
        }

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

    /// <summary>
    /// Appends a batch as <see cref="TryAppendAsync"/> does and reads <c>synchronous_commit</c> as it is in force
    /// just before the batch's transaction commits (a test hook for durability).
    /// </summary>
    internal async Task<string?> AppendReadingCommitSettingAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var writes = CreateAppendBatch(connection, batch);
        writes.BatchCommands.Add(new NpgsqlBatchCommand("SELECT current_setting('synchronous_commit') AS at_commit"));
        string? setting = null;
        await using var reader = await writes.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            if (reader.FieldCount == 1 && reader.GetName(0) == "at_commit" && await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                setting = reader.GetString(0);
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        return setting;
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
            await using (var schemaLock = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey})", connection, transaction))
            {
                await schemaLock.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var version = await ReadSchemaVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (version is not (0 or RecordlessSchemaVersion or SchemaVersion))
            {
                throw new InvalidDataException(
                    $"the log in database `{connection.Database}` has schema version {version}, but this version of Concordat reads versions {RecordlessSchemaVersion} and {SchemaVersion}: open it with the version that wrote it, or start the log in a new database");
            }

            // Invariant: log_advance_head is the only writer of log_head.tree_size. It moves the head from the
            // batch's start to its end, or raises HeadMovedSqlState when another writer got there first. Its row lock
            // is held until commit, so a second writer waits on it and then fails: one index is never assigned
            // twice and two writers never extend the same tree size.
            // Security: it sets synchronous_commit = on for the transaction that calls it, so neither a server nor a
            // role default can make an acknowledged append non-durable.
            await using var schema = new NpgsqlCommand(
                $"""
                CREATE TABLE IF NOT EXISTS log_schema (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL);
                INSERT INTO log_schema (id, version) VALUES (1, {SchemaVersion}) ON CONFLICT (id) DO NOTHING;
                CREATE TABLE IF NOT EXISTS log_head (id integer PRIMARY KEY CHECK (id = 1), tree_size bigint NOT NULL);
                INSERT INTO log_head (id, tree_size) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
                CREATE TABLE IF NOT EXISTS log_entries (idx bigint PRIMARY KEY, entry bytea NOT NULL);
                CREATE TABLE IF NOT EXISTS log_hash_runs (start bigint PRIMARY KEY, hashes bytea NOT NULL);
                CREATE TABLE IF NOT EXISTS log_checkpoints (tree_size bigint PRIMARY KEY, note text NOT NULL);
                CREATE TABLE IF NOT EXISTS log_history (id integer PRIMARY KEY CHECK (id = 1), note text NOT NULL);
                UPDATE log_schema SET version = {SchemaVersion} WHERE id = 1 AND version = {RecordlessSchemaVersion};
                CREATE OR REPLACE FUNCTION log_advance_head(start_size bigint, end_size bigint) RETURNS void
                LANGUAGE plpgsql SET search_path FROM CURRENT AS $body$
                BEGIN
                    PERFORM set_config('synchronous_commit', 'on', true);
                    UPDATE log_head SET tree_size = end_size WHERE id = 1 AND tree_size = start_size;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'the log head is not at tree size %: another writer appended first', start_size
                            USING ERRCODE = '{HeadMovedSqlState}';
                    END IF;
                END
                $body$;
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

    // One round trip: the statements of a batch without a transaction run, in the extended protocol, as one implicit
    // transaction that commits at the Sync after the last of them, or rolls back entirely if any of them fails.
    private static NpgsqlBatch CreateAppendBatch(NpgsqlConnection connection, LogBatch batch)
    {
        var writes = new NpgsqlBatch(connection);

        // Invariant: the head moves first, so a second writer blocks on the head row, not on an entry's key.
        var advance = new NpgsqlBatchCommand("SELECT log_advance_head($1, $2)");
        advance.Parameters.Add(new NpgsqlParameter { Value = batch.StartIndex });
        advance.Parameters.Add(new NpgsqlParameter { Value = batch.EndSize });
        writes.BatchCommands.Add(advance);

        var entries = new byte[batch.Entries.Count][];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = batch.Entries[i].ToArray();
        }

        // Invariant: a batch's entries are consecutive from its start, so their indices follow from their order.
        var entryInsert = new NpgsqlBatchCommand("INSERT INTO log_entries (idx, entry) SELECT $1 + t.ord - 1, t.entry FROM unnest($2) WITH ORDINALITY AS t(entry, ord)");
        entryInsert.Parameters.Add(new NpgsqlParameter { Value = batch.StartIndex });
        entryInsert.Parameters.Add(new NpgsqlParameter { Value = entries, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        writes.BatchCommands.Add(entryInsert);

        var (starts, runs) = ToHashRuns(batch.Nodes);
        var hashInsert = new NpgsqlBatchCommand("INSERT INTO log_hash_runs (start, hashes) SELECT * FROM unnest($1, $2)");
        hashInsert.Parameters.Add(new NpgsqlParameter { Value = starts, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        hashInsert.Parameters.Add(new NpgsqlParameter { Value = runs, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        writes.BatchCommands.Add(hashInsert);
        return writes;
    }

    private static (long[] FirstIds, byte[][] Runs) ToHashRuns(IReadOnlyList<MerkleNode> nodes)
    {
        var starts = new List<long>((nodes.Count / HashesPerRow) + 1);
        var runs = new List<byte[]>(starts.Capacity);
        foreach (var run in LogHashRuns.Split(nodes, HashesPerRow))
        {
            var hashes = new byte[run.Count * Rfc6962.HashSize];
            for (var i = 0; i < run.Count; i++)
            {
                nodes[run.Offset + i].Hash.Bytes.CopyTo(hashes.AsSpan(i * Rfc6962.HashSize));
            }

            starts.Add(run.FirstStoredIndex);
            runs.Add(hashes);
        }

        return (starts.ToArray(), runs.ToArray());
    }

    // 0 for an empty database, 1 for the first layout (no log_schema table, hashes in log_tree).
    private static async Task<int> ReadSchemaVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var probe = new NpgsqlCommand("SELECT to_regclass('log_schema') IS NOT NULL, to_regclass('log_head') IS NOT NULL", connection, transaction))
        await using (var reader = await probe.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!reader.GetBoolean(0))
            {
                return reader.GetBoolean(1) ? 1 : 0;
            }
        }

        await using var read = new NpgsqlCommand("SELECT version FROM log_schema WHERE id = 1", connection, transaction);
        return (int)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"the log in database `{connection.Database}` has no schema version row"));
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
