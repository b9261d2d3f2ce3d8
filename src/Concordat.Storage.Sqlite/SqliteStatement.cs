using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Concordat.Storage.Sqlite;

/// <summary>
/// A statement prepared once on an open connection and bound by position, for the log's hot paths.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite binds every parameter by name, and SQLite finds a name by a linear scan of the
/// statement's parameters, so binding a 128-parameter multi-row <c>INSERT</c> cost thousands of string compares
/// (7 % of the writer's time in a profile). Binding by position is one call per value, and blobs are bound
/// from spans without copying them into arrays first. Not thread-safe: its owner serialises use.
/// </remarks>
internal sealed unsafe partial class SqliteStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly nint _handle;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        var rc = raw.sqlite3_prepare_v2(_database, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            _statement?.Dispose();
            throw Error(rc);
        }

        _handle = _statement.DangerousGetHandle();
    }

    public void Bind(int position, long value) => Check(raw.sqlite3_bind_int64(_statement, position, value));

    public void Bind(int position, ReadOnlySpan<byte> value) =>

        // Invariant: an empty span would bind NULL, not an empty blob.
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, position, 0) : raw.sqlite3_bind_blob(_statement, position, value));

    public void Bind(int position, string value) => Check(raw.sqlite3_bind_text(_statement, position, value));

    /// <summary>Steps to the next row.</summary>
    /// <returns><see langword="true"/> on a row; <see langword="false"/> when done.</returns>
    /// <exception cref="SqliteException">The step failed; the statement is reset.</exception>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        var error = Error(rc);
        raw.sqlite3_reset(_statement);
        throw error;
    }

    /// <summary>Runs a statement that returns no rows, then resets it and clears its bound values.</summary>
    public void Execute()
    {
        try
        {
            while (Step())
            {
            }
        }
        finally
        {
            Reset();

            // Invariant: SQLite keeps its own copy of each bound blob until it is rebound or cleared; clearing
            // keeps up to 64 entries from staying in memory between commits.
            raw.sqlite3_clear_bindings(_statement);
        }
    }

    /// <summary>Ends the current execution, so that the statement holds no lock and can run again.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public bool IsNull(int column) => ColumnType(_handle, column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => ColumnInt64(_handle, column);

    /// <summary>Gets a column's bytes; valid only until the next step or reset.</summary>
    public ReadOnlySpan<byte> GetBlob(int column)
    {
        // Spec: https://sqlite.org/c3ref/column_blob.html — call sqlite3_column_blob first, then sqlite3_column_bytes.
        var bytes = ColumnBlob(_handle, column);
        return bytes is null ? default : new ReadOnlySpan<byte>(bytes, ColumnBytes(_handle, column));
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) => new(raw.sqlite3_errmsg(_database).utf8_to_string() ?? raw.sqlite3_errstr(rc).utf8_to_string(), rc);

    // Why direct imports for column reads: through SQLitePCLRaw each read pays a full GC transition and SafeHandle
    // reference counting, about a quarter of a stored proof's CPU. A column read on a stepped row is a short call
    // into memory SQLite already holds (or has mapped), so it can skip the transition.
    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    private static partial int ColumnType(nint statement, int column);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    private static partial long ColumnInt64(nint statement, int column);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    private static partial byte* ColumnBlob(nint statement, int column);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int ColumnBytes(nint statement, int column);
}
