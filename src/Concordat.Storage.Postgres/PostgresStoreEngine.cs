using Concordat.Log;
using Concordat.Storage.Postgres.Registry;
using Concordat.Storage.Postgres.Revocation;
using Concordat.Store;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Concordat.Storage.Postgres;

/// <summary>
/// The engine for gateway replicas that share one PostgreSQL database: the registry, the log's storage and the
/// revocation feed over one <see cref="NpgsqlDataSource"/>, which the engine owns.
/// </summary>
/// <remarks>
/// Creating the engine opens no connection; the first use does. Disposing it closes the data source, so the log
/// storages it opened MUST be disposed first.
/// </remarks>
public sealed class PostgresStoreEngine : IStoreEngine
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Initializes the engine over the database named by <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="time">The clock of the revocation feed's pauses between connections.</param>
    /// <param name="loggerFactory">Where the revocation feed logs.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public PostgresStoreEngine(string connectionString, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        Registry = new PostgresRegistryStore(_dataSource);
        Revocations = new PostgresRevocationFeed(_dataSource, time, loggerFactory.CreateLogger<PostgresRevocationFeed>());
    }

    /// <summary>Gets <c>PostgreSQL</c>.</summary>
    public string Name => "PostgreSQL";

    /// <inheritdoc/>
    public IRegistryStore Registry { get; }

    /// <summary>Gets the feed that <c>LISTEN</c>s for the notices the registry sends at commit.</summary>
    public IRevocationFeed Revocations { get; }

    /// <inheritdoc/>
    public Task<bool> HasLogAsync(CancellationToken cancellationToken) => PostgresLogStorage.ExistsAsync(_dataSource, cancellationToken);

    /// <inheritdoc/>
    public async Task<ILogStorage> OpenLogAsync(CancellationToken cancellationToken) =>
        await PostgresLogStorage.OpenAsync(_dataSource, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task<ILogStorage> OpenLogForReadingAsync(CancellationToken cancellationToken) =>
        await PostgresLogStorage.OpenForReadingAsync(_dataSource, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Takes the lock <paramref name="name"/> for every replica on the database: a transaction-level advisory lock held
    /// on a connection of its own until the returned object is disposed.
    /// </summary>
    /// <param name="name">The lock.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The held lock; disposing it releases the lock.</returns>
    /// <exception cref="NpgsqlException">The database cannot be reached or refuses the lock.</exception>
    public Task<IAsyncDisposable> LockAsync(StoreLockName name, CancellationToken cancellationToken) =>
        PostgresStoreLock.TakeAsync(_dataSource, name, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
