using Concordat.Store;
using Npgsql;

namespace Concordat.Storage.Postgres;

/// <summary>
/// A lock that every replica on one database shares: a transaction-level advisory lock
/// (<c>pg_advisory_xact_lock</c>) held by a transaction left open on a connection of its own until the lock is
/// released.
/// </summary>
/// <remarks>
/// Security: a transaction lock, not a session lock, so that however the holder ends (released, cancelled while
/// waiting, the connection returned to the pool or lost) the server drops the lock with the transaction; a session
/// lock would stay held by a pooled connection until its next use.
/// </remarks>
internal sealed class PostgresStoreLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private PostgresStoreLock(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Waits until the lock <paramref name="name"/> is free on the database, then takes it.</summary>
    public static async Task<IAsyncDisposable> TakeAsync(NpgsqlDataSource dataSource, StoreLockName name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name.Value, nameof(name));
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Advisory locks are keyed by one bigint: the server's 64-bit hash of the name. Two names that collide only
            // exclude each other needlessly; they never let two holders of one name in.
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = name.Value });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresStoreLock(connection, transaction);
        }
        catch
        {
            // Closing rolls the transaction back, which drops the lock if the server granted it before the failure.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Releases the lock by ending its transaction, which wrote nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
