using Concordat.Merkle;
using Concordat.Witness;
using Microsoft.Data.Sqlite;

namespace Concordat.Storage.Sqlite;

/// <summary>
/// A witness's state in SQLite (<c>witness.db</c> in its state folder): one row per log, the latest cosigned checkpoint.
/// </summary>
/// <remarks>
/// WAL with <c>synchronous=FULL</c>: a replace that returned is durable across a crash of the process or the machine,
/// and a crash before its commit leaves the previous record whole. The compare-and-set runs in one
/// <c>BEGIN IMMEDIATE</c> transaction, so it holds even between two processes sharing the folder.
/// </remarks>
public sealed class SqliteWitnessStateStore : IWitnessStateStore, IDisposable
{
    /// <summary>The database file name in the state folder.</summary>
    public const string DatabaseFileName = "witness.db";

    private const int SchemaVersion = 1;
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteWitnessStateStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) the witness state in <paramref name="directory"/>.</summary>
    /// <param name="directory">The state folder; created when missing.</param>
    /// <returns>The store.</returns>
    /// <exception cref="IOException">The folder cannot be created.</exception>
    /// <exception cref="InvalidDataException">The database is not a witness state database, or is corrupt.</exception>
    public static SqliteWitnessStateStore Open(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, DatabaseFileName);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 30 }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version is not (0 or SchemaVersion))
            {
                throw new InvalidDataException($"`{path}` has witness state version {version}; this version of Concordat reads version {SchemaVersion}");
            }

            // Spec: https://sqlite.org/pragma.html#pragma_synchronous — in WAL mode, FULL syncs the WAL on every commit.
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA busy_timeout = 30000;
                CREATE TABLE IF NOT EXISTS witnessed (origin TEXT PRIMARY KEY, tree_size INTEGER NOT NULL, root_hash BLOB NOT NULL, note TEXT NOT NULL);
                PRAGMA user_version = 1;
                """;
            command.ExecuteNonQuery();
            return new SqliteWitnessStateStore(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new InvalidDataException($"`{path}` is not a readable witness state: {ex.Message}", ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="IOException">The database cannot be read.</exception>
    public async ValueTask<WitnessedCheckpoint?> ReadAsync(string origin, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Read(origin, transaction: null);
        }
        catch (SqliteException ex)
        {
            throw new IOException($"the witness state cannot be read: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="IOException">The database cannot be written; the previous record stands.</exception>
    public async ValueTask<bool> TryReplaceAsync(WitnessedCheckpoint? expected, WitnessedCheckpoint replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var current = Read(replacement.Origin, transaction);
            if (!Same(current, expected))
            {
                transaction.Rollback();
                return false;
            }

            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO witnessed (origin, tree_size, root_hash, note) VALUES ($origin, $size, $root, $note)
                ON CONFLICT (origin) DO UPDATE SET tree_size = excluded.tree_size, root_hash = excluded.root_hash, note = excluded.note
                """;
            command.Parameters.AddWithValue("$origin", replacement.Origin);
            command.Parameters.AddWithValue("$size", replacement.TreeSize);
            command.Parameters.AddWithValue("$root", replacement.RootHash.ToArray());
            command.Parameters.AddWithValue("$note", replacement.SignedNote);
            command.ExecuteNonQuery();

            // Invariant: with WAL and synchronous=FULL, Commit returns after the WAL is fsynced: the record is durable.
            transaction.Commit();
            return true;
        }
        catch (SqliteException ex)
        {
            // Invariant: the transaction rolled back, so the previous record stands whole.
            throw new IOException($"the witness state cannot be written: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private static bool Same(WitnessedCheckpoint? stored, WitnessedCheckpoint? expected) =>
        stored is null ? expected is null : expected is not null && stored.TreeSize == expected.TreeSize && stored.RootHash == expected.RootHash;

    private WitnessedCheckpoint? Read(string origin, SqliteTransaction? transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT tree_size, root_hash, note FROM witnessed WHERE origin = $origin";
        command.Parameters.AddWithValue("$origin", origin);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var root = (byte[])reader.GetValue(1);
        if (!MerkleHash.TryFromBytes(root, out var rootHash))
        {
            throw new InvalidDataException($"the witness state of `{origin}` holds a root hash of {root.Length} bytes");
        }

        return new WitnessedCheckpoint(origin, reader.GetInt64(0), rootHash, reader.GetString(2));
    }
}
