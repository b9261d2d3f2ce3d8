using Concordat.Log;
using Concordat.Storage.Sqlite.Registry;
using Concordat.Store;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Microsoft.Data.Sqlite;

namespace Concordat.Storage.Sqlite;

/// <summary>
/// The embedded default engine: the registry and the log in SQLite files of a workspace folder, for one gateway
/// process, so there is no other replica and no revocation feed.
/// </summary>
/// <remarks>
/// Creating the engine touches no file: the registry opens <see cref="RegistryFileName"/> on its first call, and
/// <see cref="OpenLogAsync"/> opens <see cref="SqliteLogStorage.DatabaseFileName"/> and takes the log's writer lock;
/// <see cref="OpenLogForReadingAsync"/> takes no lock and changes no file.
/// </remarks>
public sealed class SqliteStoreEngine : IStoreEngine
{
    /// <summary>The registry's database file name inside the workspace.</summary>
    public const string RegistryFileName = "concordat.db";

    private readonly string _directory;
    private readonly SqliteRegistryStore _registry;

    /// <summary>Initializes the engine over the workspace folder at <paramref name="workspaceDirectory"/>.</summary>
    /// <param name="workspaceDirectory">The workspace folder; it MUST exist before the store is used.</param>
    public SqliteStoreEngine(string workspaceDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceDirectory);
        _directory = Path.GetFullPath(workspaceDirectory);
        _registry = new SqliteRegistryStore(Path.Combine(_directory, RegistryFileName));
    }

    /// <summary>Gets <c>SQLite</c>.</summary>
    public string Name => "SQLite";

    /// <inheritdoc/>
    public IRegistryStore Registry => _registry;

    /// <summary>Gets <see cref="NoRevocationFeed.Instance"/>: a workspace's database belongs to one process.</summary>
    public IRevocationFeed Revocations => NoRevocationFeed.Instance;

    /// <inheritdoc/>
    public Task<bool> HasLogAsync(CancellationToken cancellationToken) => Task.FromResult(SqliteLogStorage.Exists(_directory));

    /// <inheritdoc/>
    public Task<ILogStorage> OpenLogAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<ILogStorage>(SqliteLogStorage.Open(_directory));
    }

    /// <inheritdoc/>
    public Task<ILogStorage> OpenLogForReadingAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<ILogStorage>(SqliteLogStorage.OpenForReading(_directory));
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _registry.Dispose();

        // Invariant: pooled connections hold the files open; clearing the pool lets the workspace be moved or deleted.
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
