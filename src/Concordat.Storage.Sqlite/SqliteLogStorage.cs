using System.Collections.Concurrent;
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
/// <para>One process owns a workspace's log: opening takes an exclusive lock on <c>log.lock</c> for the lifetime of the
/// storage, and a second opener, in this process or another, fails with an <see cref="IOException"/> that says so.</para>
/// <para><see cref="OpenForReading"/> takes no lock and writes nothing, not even SQLite's side files: it reads beside a
/// running writer, or a stopped workspace whose files stay byte for byte as they were.</para>
/// </remarks>
internal sealed class SqliteLogStorage : ILogStorage
{
    /// <summary>The database file name inside the workspace.</summary>
    public const string DatabaseFileName = "log.db";

    /// <summary>The lock file name inside the workspace.</summary>
    public const string LockFileName = "log.lock";

    // Version 5 stores entries in bundles and derives the tree size from the last one; version 4 added log_history
    // (the signed record of the checkpoint history). Versions 3 and 4 are read as they are and upgraded on opening.
    private const int SchemaVersion = 5;
    private const int HeadSchemaVersion = 4;
    private const int RecordlessSchemaVersion = 3;

    // Entries per stored bundle, and the bytes after which a bundle is closed: a read of one entry reads its whole
    // bundle, so bundles stay small whatever the batch.
    private const int MaxEntriesPerBundle = 256;
    private const int MaxBundleBytes = 64 * 1024;

    // The tree size: the end of the last bundle (one seek to the right edge of the table), 0 when there is none.
    private const string TreeSizeSql = "SELECT start + count FROM log_entry_bundles ORDER BY start DESC LIMIT 1";

    // The tables of schema version 5 (see docs/design/log.md).
    private const string CreateTablesSql = """
        CREATE TABLE IF NOT EXISTS log_entry_bundles (start INTEGER PRIMARY KEY, count INTEGER NOT NULL, entries BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS log_hash_runs (start INTEGER PRIMARY KEY, hashes BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS log_checkpoints (tree_size INTEGER PRIMARY KEY, note TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS log_history (id INTEGER PRIMARY KEY CHECK (id = 1), note TEXT NOT NULL);
        """;

    // Hashes per stored run: one commit's hashes are one contiguous run of stored indices, kept as few rows.
    // Invariant: two runs of 60 hashes (1,920 bytes each) fit inline on a 4 KiB page, so a lookup reads a hash in
    // place and never follows an overflow page.
    private const int MaxHashesPerRun = 60;

    // Idle reader connections kept open; more concurrent readers open their own and close them after use.
    private const int MaxIdleReaders = 4;

    // The most of the database file a reader maps into memory.
    private const long ReaderMapBytes = 1L << 30;
    private const int SqliteNotADatabase = 26;
    private const int SqliteCorrupt = 11;

    private readonly FileStream? _lock;
    private readonly string _connectionString;
    private readonly SqliteConnection? _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly bool _bundled;
    private readonly SqliteStatement? _readTreeSize;
    private readonly SqliteStatement? _insertBundle;
    private readonly SqliteStatement? _insertRun;
    private readonly HashReads? _writerHashReads;
    private readonly byte[] _runBuffer = new byte[MaxHashesPerRun * Rfc6962.HashSize];
    private byte[] _bundleBuffer = new byte[16 * 1024];
    private readonly ConcurrentBag<Reader> _idleReaders = [];
    private int _idleReaderCount;
    private int _disposed;
    private long _commits;

    private SqliteLogStorage(string databasePath, string readOnlyConnectionString, bool bundled)
    {
        DatabasePath = databasePath;
        _connectionString = readOnlyConnectionString;
        _bundled = bundled;
    }

    private SqliteLogStorage(FileStream lockFile, string databasePath, SqliteConnection writer)
    {
        _lock = lockFile;
        DatabasePath = databasePath;
        _writer = writer;
        _connectionString = writer.ConnectionString;
        _bundled = true;

        // Invariant: these statements live as long as the writer connection, so each is parsed once.
        _readTreeSize = new SqliteStatement(writer, TreeSizeSql);
        _insertBundle = new SqliteStatement(writer, "INSERT INTO log_entry_bundles (start, count, entries) VALUES (?1, ?2, ?3)");
        _insertRun = new SqliteStatement(writer, "INSERT INTO log_hash_runs (start, hashes) VALUES (?1, ?2)");
        _writerHashReads = new HashReads(writer);
    }

    /// <summary>Gets the path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Gets the number of append transactions committed by this instance (a test hook for group commit).</summary>
    internal long CommittedTransactions => Interlocked.Read(ref _commits);

    /// <summary>Tells whether a workspace holds a log database.</summary>
    /// <param name="workspaceDirectory">The workspace folder.</param>
    /// <returns><see langword="true"/> when <c>log.db</c> exists in it and is not empty.</returns>
    public static bool Exists(string workspaceDirectory)
    {
        var file = new FileInfo(Path.Combine(workspaceDirectory, DatabaseFileName));
        return file.Exists && file.Length > 0;
    }

    /// <summary>
    /// A connection string that reads the SQLite database at <paramref name="databasePath"/> without writing it or any side
    /// file: <c>immutable</c> when it has no <c>-wal</c> file (nobody writes it), else read-only through the WAL.
    /// </summary>
    internal static string ReadOnlyConnectionString(string databasePath)
    {
        // Spec: https://sqlite.org/uri.html#uriimmutable — immutable=1 reads with no locking and no side files.
        var source = File.Exists(databasePath + "-wal") ? databasePath : new Uri(databasePath).AbsoluteUri + "?immutable=1";
        return new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
    }

    /// <summary>Opens the log of a workspace for reading only: no lock, no write, no file created or changed.</summary>
    /// <param name="workspaceDirectory">The workspace folder.</param>
    /// <returns>The storage; its write methods throw <see cref="InvalidOperationException"/>.</returns>
    /// <exception cref="FileNotFoundException"><c>log.db</c> does not exist.</exception>
    /// <exception cref="InvalidDataException"><c>log.db</c> is empty, not a Concordat log database, or corrupt.</exception>
    /// <remarks>
    /// Without a <c>-wal</c> file (a stopped workspace) the database is opened <c>immutable</c>, so SQLite creates no
    /// side file and takes no lock; with one (a running or crashed writer) it is opened read-only through the WAL,
    /// which never writes the database or the WAL file.
    /// </remarks>
    public static SqliteLogStorage OpenForReading(string workspaceDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceDirectory);
        var databasePath = Path.GetFullPath(Path.Combine(workspaceDirectory, DatabaseFileName));
        var file = new FileInfo(databasePath);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"`{databasePath}` does not exist", databasePath);
        }

        if (file.Length == 0)
        {
            throw new InvalidDataException($"`{databasePath}` is empty (0 bytes): it holds no log");
        }

        var connectionString = ReadOnlyConnectionString(databasePath);
        int version;
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (version is not (RecordlessSchemaVersion or HeadSchemaVersion or SchemaVersion))
            {
                throw new InvalidDataException($"`{databasePath}` has log schema version {version}, but this version of Concordat reads versions {RecordlessSchemaVersion}, {HeadSchemaVersion} and {SchemaVersion}");
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            throw new InvalidDataException($"`{databasePath}` is not a readable log database: {ex.Message}", ex);
        }

        // Versions 3 and 4 are read as they are: a reader never upgrades.
        return new SqliteLogStorage(databasePath, connectionString, bundled: version == SchemaVersion);
    }

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
    public Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reader = RentReader();
        try
        {
            return Task.FromResult(reader.ReadTreeSize());
        }
        finally
        {
            ReturnReader(reader);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> TryAppendAsync(LogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var writer = Writer;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Invariant: BEGIN IMMEDIATE takes SQLite's write lock before the head is read, so the check and the
            // writes are one atomic step even if another connection writes to the file.
            using var transaction = writer.BeginTransaction(deferred: false);
            if (ReadTreeSize(_readTreeSize!) != batch.StartIndex)
            {
                return false;
            }

            // The tree size is the end of the last bundle, so writing the bundles moves it: no head row to update.
            InsertBundles(batch);
            InsertHashRuns(batch.Nodes);

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
        command.Parameters.AddWithValue("$start", startIndex);
        command.Parameters.AddWithValue("$end", startIndex + count);
        var result = new List<(long, byte[])>(Math.Min(count, 4096));
        if (!_bundled)
        {
            command.CommandText = "SELECT idx, entry FROM log_entries WHERE idx >= $start AND idx < $end ORDER BY idx";
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                result.Add((rows.GetInt64(0), (byte[])rows.GetValue(1)));
            }

            return result;
        }

        // The bundle that holds $start (the last one starting at or before it) and every later one starting before $end.
        command.CommandText = """
            SELECT start, count, entries FROM log_entry_bundles
            WHERE start >= coalesce((SELECT start FROM log_entry_bundles WHERE start <= $start ORDER BY start DESC LIMIT 1), $start)
              AND start < $end
            ORDER BY start
            """;
        using var reader = command.ExecuteReader();
        var next = startIndex;
        while (reader.Read())
        {
            next = LogEntryBundle.Read(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2), next, startIndex + count, result);
        }

        return result;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<byte[]?>> ReadHashesAsync(IReadOnlyList<MerkleNodeId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        cancellationToken.ThrowIfCancellationRequested();
        var reader = RentReader();
        try
        {
            return Task.FromResult<IReadOnlyList<byte[]?>>(reader.ReadHashes(ids));
        }
        finally
        {
            ReturnReader(reader);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Reads through the writer connection, between commits: its page cache still holds the pages the last commits
    /// wrote, so the check costs a few cached page lookups. A reader connection has to start a new snapshot after
    /// every commit, which drops its cache and its memory map of the file and reads every page again. SQLite still
    /// notices a commit made by any other connection or process and then reads the pages from the file.
    /// </remarks>
    public async Task<IReadOnlyList<byte[]?>> ReadHashesForWriterAsync(IReadOnlyList<MerkleNodeId> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (_writerHashReads is not { } reads)
        {
            return await ReadHashesAsync(ids, cancellationToken).ConfigureAwait(false);
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return reads.Read(ids);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc/>
    public Task AddCheckpointAsync(StoredCheckpoint checkpoint, string? historyRecord, CancellationToken cancellationToken) =>
        WriteCheckpointAsync(checkpoint, historyRecord, cancellationToken);

    /// <inheritdoc/>
    public async Task<string?> ReadHistoryRecordAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();

        // A version 3 database opened for reading has no log_history table: it has no record.
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'log_history'";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        command.CommandText = "SELECT note FROM log_history WHERE id = 1";
        return command.ExecuteScalar() as string;
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

    private async Task WriteCheckpointAsync(StoredCheckpoint checkpoint, string? historyRecord, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var writer = Writer;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = writer.BeginTransaction(deferred: false);
            using var command = writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR IGNORE INTO log_checkpoints (tree_size, note) VALUES ($size, $note)";
            command.Parameters.AddWithValue("$size", checkpoint.TreeSize);
            command.Parameters.AddWithValue("$note", checkpoint.Note);
            command.ExecuteNonQuery();
            if (historyRecord is not null)
            {
                command.CommandText = "INSERT OR REPLACE INTO log_history (id, note) VALUES (1, $record)";
                command.Parameters.AddWithValue("$record", historyRecord);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private SqliteConnection Writer =>
        _writer ?? throw new InvalidOperationException("the log was opened for reading only: it cannot be written");

    /// <summary>Reads a pragma on the writer connection (a test hook for the durability settings).</summary>
    internal string ReadPragma(string name)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    /// <summary>Runs one SQL statement on the writer connection, bypassing the log (a test hook for tampering).</summary>
    internal void ExecuteForTest(string sql)
    {
        using var command = Writer.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _disposed, 1);
            while (_idleReaders.TryTake(out var reader))
            {
                reader.Dispose();
            }

            _readTreeSize?.Dispose();
            _insertBundle?.Dispose();
            _insertRun?.Dispose();
            _writerHashReads?.Dispose();
            if (_writer is not null)
            {
                await _writer.DisposeAsync().ConfigureAwait(false);
            }

            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
            if (_lock is not null)
            {
                await _lock.DisposeAsync().ConfigureAwait(false);
            }
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
        if (version is not (0 or RecordlessSchemaVersion or HeadSchemaVersion or SchemaVersion))
        {
            throw new InvalidDataException($"`{connection.DataSource}` has log schema version {version}, but this version of Concordat reads versions {RecordlessSchemaVersion}, {HeadSchemaVersion} and {SchemaVersion}");
        }

        // Spec: https://sqlite.org/pragma.html#pragma_synchronous — in WAL mode, FULL syncs the WAL on every
        // commit, so a commit that returned is durable across power loss.
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
        command.ExecuteNonQuery();
        if (version is RecordlessSchemaVersion or HeadSchemaVersion)
        {
            Upgrade(connection, version);
            return;
        }

        command.CommandText = $"""
            BEGIN IMMEDIATE;
            {CreateTablesSql}
            PRAGMA user_version = {SchemaVersion};
            COMMIT;
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Upgrades a version 3 or 4 database to version 5 in one transaction: its entries, one row each, become bundles
    /// of <see cref="MaxEntriesPerBundle"/>, and the head row goes, since the tree size is now the end of the last
    /// bundle. Hashes, checkpoints and the history record stay as they are.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The stored entries are not exactly 0 to the head's tree size - 1: bundles hold consecutive entries and the
    /// tree size follows from them, so the upgrade would hide the damage. Nothing is changed.
    /// </exception>
    private static void Upgrade(SqliteConnection connection, int version)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT (SELECT tree_size FROM log_head WHERE id = 1), count(*), coalesce(min(idx), 0), coalesce(max(idx), -1) FROM log_entries";
        long size, count, first, last;
        using (var check = command.ExecuteReader())
        {
            check.Read();
            if (check.IsDBNull(0))
            {
                throw new InvalidDataException($"`{connection.DataSource}` (log schema version {version}) has no head row: it cannot be upgraded; `concordat log verify` reads it as it is");
            }

            (size, count, first, last) = (check.GetInt64(0), check.GetInt64(1), check.GetInt64(2), check.GetInt64(3));
        }

        if (count != size || (count > 0 && (first != 0 || last != size - 1)))
        {
            throw new InvalidDataException($"`{connection.DataSource}` (log schema version {version}) holds {count} entries for a tree of {size}: it cannot be upgraded to version {SchemaVersion}; `concordat log verify` reads it as it is and names what is wrong");
        }

        command.CommandText = CreateTablesSql;
        command.ExecuteNonQuery();
        using (var insert = new SqliteStatement(connection, "INSERT INTO log_entry_bundles (start, count, entries) VALUES (?1, ?2, ?3)"))
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT entry FROM log_entries ORDER BY idx";
            using var rows = read.ExecuteReader();
            var bundle = new List<ReadOnlyMemory<byte>>(MaxEntriesPerBundle);
            var buffer = new byte[16 * 1024];
            var start = 0L;
            var more = true;
            while (more)
            {
                more = rows.Read();
                if (more)
                {
                    bundle.Add((byte[])rows.GetValue(0));
                }

                if (bundle.Count == MaxEntriesPerBundle || (!more && bundle.Count > 0))
                {
                    var length = LogEntryBundle.Write(bundle, 0, bundle.Count, ref buffer);
                    insert.Bind(1, start);
                    insert.Bind(2, bundle.Count);
                    insert.Bind(3, buffer.AsSpan(0, length));
                    insert.Execute();
                    start += bundle.Count;
                    bundle.Clear();
                }
            }
        }

        command.CommandText = $"DROP TABLE log_entries; DROP TABLE log_head; PRAGMA user_version = {SchemaVersion};";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static long ReadTreeSize(SqliteStatement readTreeSize)
    {
        try
        {
            return readTreeSize.Step() ? readTreeSize.GetInt64(0) : 0;
        }
        finally
        {
            readTreeSize.Reset();
        }
    }

    // Writes the batch's entries as bundles of consecutive entries: one row (a few pages) per ~60 entries, where one
    // row per entry dirtied more leaf and interior pages of the table.
    private void InsertBundles(LogBatch batch)
    {
        var entries = batch.Entries;
        var first = 0;
        while (first < entries.Count)
        {
            var end = first + 1;
            var bytes = entries[first].Length;
            while (end < entries.Count && end - first < MaxEntriesPerBundle && bytes + entries[end].Length <= MaxBundleBytes)
            {
                bytes += entries[end].Length;
                end++;
            }

            var length = LogEntryBundle.Write(entries, first, end - first, ref _bundleBuffer);
            _insertBundle!.Bind(1, batch.StartIndex + first);
            _insertBundle.Bind(2, end - first);
            _insertBundle.Bind(3, _bundleBuffer.AsSpan(0, length));
            _insertBundle.Execute();
            first = end;
        }
    }

    private void InsertHashRuns(IReadOnlyList<MerkleNode> nodes)
    {
        foreach (var run in LogHashRuns.Split(nodes, MaxHashesPerRun))
        {
            for (var i = 0; i < run.Count; i++)
            {
                nodes[run.Offset + i].Hash.Bytes.CopyTo(_runBuffer.AsSpan(i * Rfc6962.HashSize));
            }

            _insertRun!.Bind(1, run.FirstStoredIndex);
            _insertRun.Bind(2, _runBuffer.AsSpan(0, run.Count * Rfc6962.HashSize));
            _insertRun.Execute();
        }
    }

    private Reader RentReader()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_idleReaders.TryTake(out var reader))
        {
            Interlocked.Decrement(ref _idleReaderCount);
            return reader;
        }

        return new Reader(_connectionString, _bundled);
    }

    private void ReturnReader(Reader reader)
    {
        // Invariant: at most MaxIdleReaders connections stay open, so memory does not grow with past concurrency.
        if (Volatile.Read(ref _disposed) == 0 && Interlocked.Increment(ref _idleReaderCount) <= MaxIdleReaders)
        {
            _idleReaders.Add(reader);
            return;
        }

        Interlocked.Decrement(ref _idleReaderCount);
        reader.Dispose();
    }

    /// <summary>
    /// A read connection kept open with its prepared statements: WAL lets it read while the writer commits.
    /// </summary>
    private sealed class Reader : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteStatement _readHead;
        private readonly HashReads _hashReads;
        private readonly bool _bundled;

        public Reader(string connectionString, bool bundled)
        {
            // Invariant: not pooled, so that its pragmas never reach a connection opened for something else.
            _connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
            _connection.Open();
            using (var pragma = _connection.CreateCommand())
            {
                // Spec: https://sqlite.org/mmap.html — a proof reads ~2 log2(n) hashes at random places; through a
                // memory map a page is read in place instead of by a read() call into the connection's own cache.
                // The mapped pages are the kernel's file cache, shared and reclaimable, not this process's heap,
                // and the map is capped (SQLite caps it at 2 GiB), so memory stays flat in the size of the log.
                pragma.CommandText = $"PRAGMA query_only = 1; PRAGMA mmap_size = {ReaderMapBytes}";
                pragma.ExecuteNonQuery();
            }

            _hashReads = new HashReads(_connection);
            _bundled = bundled;
            _readHead = new SqliteStatement(_connection, bundled ? TreeSizeSql : "SELECT tree_size FROM log_head WHERE id = 1");
        }

        public long ReadTreeSize()
        {
            if (_bundled)
            {
                return SqliteLogStorage.ReadTreeSize(_readHead);
            }

            try
            {
                return _readHead.Step() ? _readHead.GetInt64(0) : throw new InvalidDataException("the log database has no head row");
            }
            finally
            {
                _readHead.Reset();
            }
        }

        public byte[]?[] ReadHashes(IReadOnlyList<MerkleNodeId> ids) => _hashReads.Read(ids);

        public void Dispose()
        {
            _readHead.Dispose();
            _hashReads.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>The prepared statements that read hashes on one connection; its owner serialises use.</summary>
    private sealed class HashReads : IDisposable
    {
        // Ids at most this many runs apart are read by one range scan (see LogHashLookup): a scan reads about one
        // leaf page per two runs, a descent about three pages.
        private const int ScanGapInRuns = 6;

        private readonly SqliteStatement _readRuns;
        private readonly SqliteStatement _begin;
        private readonly SqliteStatement _commit;

        public HashReads(SqliteConnection connection)
        {
            // One range scan of LogHashLookup: the runs that start in (?1, ?2], in ascending start.
            _readRuns = new SqliteStatement(connection, "SELECT start, hashes FROM log_hash_runs WHERE start > ?1 AND start <= ?2 ORDER BY start");
            _begin = new SqliteStatement(connection, "BEGIN");
            _commit = new SqliteStatement(connection, "COMMIT");
        }

        /// <summary>Reads the hashes of <paramref name="ids"/> by range scans of runs (<see cref="LogHashLookup"/>).</summary>
        /// <remarks>
        /// The scans run in one read transaction: opening one takes the WAL read lock with a system call, which costs
        /// more than a scan.
        /// </remarks>
        public byte[]?[] Read(IReadOnlyList<MerkleNodeId> ids)
        {
            var lookup = new LogHashLookup(ids, MaxHashesPerRun, ScanGapInRuns);
            _begin.Execute();
            try
            {
                foreach (var scan in lookup.Scans)
                {
                    _readRuns.Bind(1, scan.After);
                    _readRuns.Bind(2, scan.Through);
                    try
                    {
                        while (_readRuns.Step())
                        {
                            lookup.Take(_readRuns.GetInt64(0), _readRuns.GetBlob(1));
                        }
                    }
                    finally
                    {
                        _readRuns.Reset();
                    }
                }
            }
            finally
            {
                _commit.Execute();
            }

            return lookup.Result;
        }

        public void Dispose()
        {
            _readRuns.Dispose();
            _begin.Dispose();
            _commit.Dispose();
        }
    }
}
