using System.Globalization;
using Concordat.Log;
using Concordat.Merkle;
using Microsoft.Data.Sqlite;

namespace Concordat.Storage.Sqlite;

/// <summary>
/// The transparency log's storage in a SQLite database in a workspace folder (<c>log.db</c>), in WAL mode with
/// <c>synchronous=FULL</c> so that a committed append survives a crash of the process or the machine.
/// </summary>
/// <remarks>
/// One process owns a workspace's log: opening takes an exclusive lock on <c>log.lock</c> for the lifetime of the
/// storage, and a second opener, in this process or another, fails with an <see cref="IOException"/> that says so.
/// </remarks>
public sealed class SqliteLogStorage : ILogStorage
{
    /// <summary>The database file name inside the workspace.</summary>
    public const string DatabaseFileName = "log.db";

    /// <summary>The lock file name inside the workspace.</summary>
    public const string LockFileName = "log.lock";

    private const int SchemaVersion = 2;

    // Rows per multi-row INSERT: one statement step per chunk instead of per row, far under SQLite's parameter limit.
    private const int InsertChunkRows = 64;
    private const int SqliteNotADatabase = 26;
    private const int SqliteCorrupt = 11;

    private readonly FileStream _lock;
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SqliteCommand _readHead;
    private readonly SqliteCommand _updateHead;
    private readonly ChunkedInsert _insertEntries;
    private readonly ChunkedInsert _insertHashes;
    private long _commits;

    private SqliteLogStorage(FileStream lockFile, string databasePath, SqliteConnection writer)
    {
        _lock = lockFile;
        DatabasePath = databasePath;
        _writer = writer;
        _connectionString = writer.ConnectionString;

        // Invariant: these commands live as long as the writer connection, so each statement is parsed once.
        _readHead = writer.CreateCommand();
        _readHead.CommandText = "SELECT tree_size FROM log_head WHERE id = 1";
        _updateHead = writer.CreateCommand();
        _updateHead.CommandText = "UPDATE log_head SET tree_size = $size WHERE id = 1";
        _updateHead.Parameters.Add("$size", SqliteType.Integer);
        _insertEntries = new ChunkedInsert(writer, "log_entries (idx, entry)");
        _insertHashes = new ChunkedInsert(writer, "log_hashes (id, hash)");
    }

    /// <summary>Gets the path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets the number of append transactions committed by this instance (a test hook for group commit).</summary>
    internal long CommittedTransactions => Interlocked.Read(ref _commits);

    /// <summary>Tells whether a workspace holds a log database.</summary>
    /// <param name="workspaceDirectory">The workspace folder.</param>
    /// <returns><see langword="true"/> when <c>log.db</c> exists in it.</returns>
    public static bool Exists(string workspaceDirectory) => File.Exists(Path.Combine(workspaceDirectory, DatabaseFileName));

    /// <summary>Opens (creating if needed) the log of a workspace and takes its writer lock.</summary>
    /// <param name="workspaceDirectory">The workspace folder; it MUST exist.</param>
    /// <returns>The storage; dispose it to release the lock.</returns>
    /// <exception cref="IOException">Another process (or another opener in this one) holds the workspace's log.</exception>
    /// <exception cref="InvalidDataException">The database file is not a Concordat log database or is corrupt.</exception>
    public static SqliteLogStorage Open(string workspaceDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceDirectory);
        var lockPath = Path.Combine(workspaceDirectory, LockFileName);
        FileStream lockFile;
        try
        {
            // Security: FileShare.None takes an exclusive lock that the OS drops when the process dies, so a crash
            // never leaves the log locked and two writers can never interleave.
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"the log in `{workspaceDirectory}` is in use by another process: stop it, or run the command through it", ex);
        }

        var databasePath = Path.Combine(workspaceDirectory, DatabaseFileName);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        var writer = new SqliteConnection(connectionString);
        try
        {
            writer.Open();
            Initialize(writer);
            return new SqliteLogStorage(lockFile, databasePath, writer);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            writer.Dispose();
            lockFile.Dispose();
            throw new InvalidDataException($"`{databasePath}` is not a readable log database: {ex.Message}", ex);
        }
        catch
        {
            writer.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        return ReadTreeSize(connection);
    }

    /// <inheritdoc/>
    public async Task<bool> TryAppendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Invariant: BEGIN IMMEDIATE takes SQLite's write lock before the head is read, so the check and the
            // writes are one atomic step even if another connection writes to the file.
            using var transaction = _writer.BeginTransaction(deferred: false);
            _readHead.Transaction = transaction;
            if (_readHead.ExecuteScalar() is not long size)
            {
                throw new InvalidDataException("the log database has no head row");
            }

            if (size != batch.StartIndex)
            {
                return false;
            }

            _insertEntries.Run(transaction, batch.Entries.Count, i => (batch.StartIndex + i, batch.Entries[i].ToArray()));
            _insertHashes.Run(transaction, batch.Nodes.Count, i => (batch.Nodes[i].Id.StoredIndex, batch.Nodes[i].Hash.ToArray()));
            _updateHead.Transaction = transaction;
            _updateHead.Parameters[0].Value = batch.EndSize;
            _updateHead.ExecuteNonQuery();

            cancellationToken.ThrowIfCancellationRequested();

            // Invariant: with WAL and synchronous=FULL, Commit returns after the WAL is fsynced: the batch is durable.
            transaction.Commit();
            Interlocked.Increment(ref _commits);
            return true;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long startIndex, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT idx, entry FROM log_entries WHERE idx >= $start AND idx < $end ORDER BY idx";
        command.Parameters.AddWithValue("$start", startIndex);
        command.Parameters.AddWithValue("$end", startIndex + count);
        var result = new List<(long, byte[])>(count);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<byte[]?>> ReadHashesAsync(IReadOnlyList<MerkleNodeId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var keys = new long[ids.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = ids[i].StoredIndex;
        }

        // One statement for every id (a proof needs about log2(n) of them): the ids go in as a JSON array.
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT h.id, h.hash FROM json_each($ids) AS j JOIN log_hashes AS h ON h.id = j.value";
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(keys, SqliteJsonContext.Default.Int64Array));
        var found = new Dictionary<long, byte[]>(keys.Length);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                found[reader.GetInt64(0)] = (byte[])reader.GetValue(1);
            }
        }

        var result = new byte[]?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            result[i] = found.GetValueOrDefault(keys[i]);
        }

        return result;
    }

    /// <inheritdoc/>
    public async Task AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = _writer.CreateCommand();
            command.CommandText = "INSERT OR IGNORE INTO log_checkpoints (tree_size, note) VALUES ($size, $note)";
            command.Parameters.AddWithValue("$size", checkpoint.TreeSize);
            command.Parameters.AddWithValue("$note", checkpoint.Note);
            command.ExecuteNonQuery();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<StoredCheckpoint?> ReadLatestCheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tree_size, note FROM log_checkpoints ORDER BY tree_size DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StoredCheckpoint(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(long minTreeSize, int count, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tree_size, note FROM log_checkpoints WHERE tree_size >= $min ORDER BY tree_size LIMIT $count";
        command.Parameters.AddWithValue("$min", minTreeSize);
        command.Parameters.AddWithValue("$count", count);
        var result = new List<StoredCheckpoint>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new StoredCheckpoint(reader.GetInt64(0), reader.GetString(1)));
        }

        return result;
    }

    /// <summary>Reads a pragma on the writer connection (a test hook for the durability settings).</summary>
    internal string ReadPragma(string name)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    /// <summary>Runs one SQL statement on the writer connection, bypassing the log (a test hook for tampering).</summary>
    internal void ExecuteForTest(string sql)
    {
        using var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _readHead.Dispose();
            _updateHead.Dispose();
            _insertEntries.Dispose();
            _insertHashes.Dispose();
            await _writer.DisposeAsync().ConfigureAwait(false);
            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
            await _lock.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
            _writeGate.Dispose();
        }
    }

    private static void Initialize(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version is not (0 or SchemaVersion))
        {
            throw new InvalidDataException($"`{connection.DataSource}` has log schema version {version}, but this version of Concordat reads version {SchemaVersion}");
        }

        // Spec: https://sqlite.org/pragma.html#pragma_synchronous — in WAL mode, FULL syncs the WAL on every
        // commit, so a commit that returned is durable across power loss.
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS log_head (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size INTEGER NOT NULL);
            INSERT OR IGNORE INTO log_head (id, tree_size) VALUES (1, 0);
            CREATE TABLE IF NOT EXISTS log_entries (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS log_hashes (id INTEGER PRIMARY KEY, hash BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS log_checkpoints (tree_size INTEGER PRIMARY KEY, note TEXT NOT NULL);
            PRAGMA user_version = 2;
            """;
        command.ExecuteNonQuery();
    }

    private static long ReadTreeSize(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT tree_size FROM log_head WHERE id = 1";
        return command.ExecuteScalar() is long size ? size : throw new InvalidDataException("the log database has no head row");
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// A prepared multi-row <c>INSERT</c> into a table keyed by an integer, in chunks of
    /// <see cref="InsertChunkRows"/> rows and then one row at a time for the rest.
    /// </summary>
    private sealed class ChunkedInsert : IDisposable
    {
        private readonly SqliteCommand _chunk;
        private readonly SqliteCommand _single;

        public ChunkedInsert(SqliteConnection connection, string target)
        {
            _chunk = Create(connection, target, InsertChunkRows);
            _single = Create(connection, target, 1);
        }

        public void Run(SqliteTransaction transaction, int count, Func<int, (long Key, byte[] Value)> row)
        {
            _chunk.Transaction = transaction;
            _single.Transaction = transaction;
            var next = 0;
            for (; next + InsertChunkRows <= count; next += InsertChunkRows)
            {
                for (var r = 0; r < InsertChunkRows; r++)
                {
                    Bind(_chunk, r, row(next + r));
                }

                _chunk.ExecuteNonQuery();
            }

            for (; next < count; next++)
            {
                Bind(_single, 0, row(next));
                _single.ExecuteNonQuery();
            }
        }

        public void Dispose()
        {
            _chunk.Dispose();
            _single.Dispose();
        }

        private static void Bind(SqliteCommand command, int row, (long Key, byte[] Value) values)
        {
            command.Parameters[2 * row].Value = values.Key;
            command.Parameters[(2 * row) + 1].Value = values.Value;
        }

        private static SqliteCommand Create(SqliteConnection connection, string target, int rows)
        {
            var command = connection.CreateCommand();
            var values = new System.Text.StringBuilder();
            for (var r = 0; r < rows; r++)
            {
                var key = command.Parameters.Add(string.Create(CultureInfo.InvariantCulture, $"$k{r}"), SqliteType.Integer);
                var value = command.Parameters.Add(string.Create(CultureInfo.InvariantCulture, $"$v{r}"), SqliteType.Blob);
                values.Append(r == 0 ? string.Empty : ", ").Append('(').Append(key.ParameterName).Append(", ").Append(value.ParameterName).Append(')');
            }

            command.CommandText = $"INSERT INTO {target} VALUES {values}";
            return command;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(long[]))]
internal sealed partial class SqliteJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
