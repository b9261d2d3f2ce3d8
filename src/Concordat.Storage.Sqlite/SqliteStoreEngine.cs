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

    /// <summary>The log's database file name inside the workspace.</summary>
    public const string LogFileName = SqliteLogStorage.DatabaseFileName;

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

    /// <summary>
    /// Returns a lock that holds nothing: the workspace belongs to one gateway process (the log's writer lock), which
    /// serialises the holders of a lock itself, so there is no other replica to exclude.
    /// </summary>
    /// <param name="name">Not used.</param>
    /// <param name="cancellationToken">Checked once.</param>
    /// <returns>A lock whose release does nothing.</returns>
    public Task<IAsyncDisposable> LockAsync(StoreLockName name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IAsyncDisposable>(InProcessLock.Instance);
    }

    /// <summary>
    /// Copies the workspace folder at <paramref name="workspaceDirectory"/> into <paramref name="destinationDirectory"/>
    /// (created; it must not hold files), even while a gateway writes it: every <c>.db</c> file through SQLite's online
    /// backup (a consistent state of each database), every other file as it is, without the databases' side files and the
    /// log's lock.
    /// </summary>
    /// <param name="workspaceDirectory">The workspace to copy.</param>
    /// <param name="destinationDirectory">Where the copy goes.</param>
    /// <exception cref="IOException">A file cannot be read or written, or a database cannot be backed up.</exception>
    public static void CopyWorkspace(string workspaceDirectory, string destinationDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspaceDirectory);
        ArgumentException.ThrowIfNullOrEmpty(destinationDirectory);
        var source = new DirectoryInfo(Path.GetFullPath(workspaceDirectory));
        foreach (var file in source.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source.FullName, file.FullName);
            var name = file.Name;
            if (name == SqliteLogStorage.LockFileName || name.EndsWith("-wal", StringComparison.Ordinal) || name.EndsWith("-shm", StringComparison.Ordinal) || name.EndsWith("-journal", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(destinationDirectory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (name.EndsWith(".db", StringComparison.Ordinal) && file.Length > 0)
            {
                try
                {
                    using var from = new SqliteConnection(SqliteLogStorage.ReadOnlyConnectionString(file.FullName));
                    using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
                    from.Open();
                    from.BackupDatabase(to);
                }
                catch (SqliteException ex)
                {
                    // Callers outside the storage project see one kind of failure for a file that cannot be copied.
                    throw new IOException($"cannot back up `{relative}`: {ex.Message}", ex);
                }
            }
            else
            {
                file.CopyTo(target, overwrite: false);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _registry.Dispose();

        // Invariant: pooled connections hold the files open; clearing the pool lets the workspace be moved or deleted.
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    /// <summary>The lock of a store that one process owns: its caller's own lock already excludes every other holder.</summary>
    private sealed class InProcessLock : IAsyncDisposable
    {
        public static readonly InProcessLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
