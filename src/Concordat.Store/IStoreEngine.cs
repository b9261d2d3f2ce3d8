using Concordat.Log;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;

namespace Concordat.Store;

/// <summary>
/// One database engine behind everything a gateway or a command keeps: the registry, the transparency log's storage
/// and the feed of revocations from other replicas, chosen once by the host and handed to whatever needs them.
/// </summary>
/// <remarks>
/// <para>The engine owns what it gives out: <see cref="Registry"/> and <see cref="Revocations"/> live as long as the
/// engine, and disposing the engine releases the connections they hold. A log storage from
/// <see cref="OpenLogAsync"/> belongs to its caller, who MUST dispose it before the engine.</para>
/// <para>Nothing outside an engine asks which database it runs on; <see cref="Name"/> is for messages only.</para>
/// </remarks>
public interface IStoreEngine : IAsyncDisposable
{
    /// <summary>Gets the engine's name, for messages: <c>SQLite</c> or <c>PostgreSQL</c>.</summary>
    string Name { get; }

    /// <summary>Gets the registry; call <see cref="IRegistryStore.InitializeAsync"/> before anything else.</summary>
    IRegistryStore Registry { get; }

    /// <summary>Gets the feed of the seals and revocations other replicas commit.</summary>
    IRevocationFeed Revocations { get; }

    /// <summary>Tells whether the store holds a log already, without creating one.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when a log was created in the store before.</returns>
    Task<bool> HasLogAsync(CancellationToken cancellationToken);

    /// <summary>Opens the log's storage, creating the log when the store holds none.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The storage; the caller disposes it.</returns>
    /// <exception cref="IOException">The engine allows one writer and another holds the log.</exception>
    /// <exception cref="InvalidDataException">The stored log is not one this version reads, or is corrupt.</exception>
    /// <exception cref="System.Data.Common.DbException">The database cannot be reached or refuses the work.</exception>
    Task<ILogStorage> OpenLogAsync(CancellationToken cancellationToken);

    /// <summary>Opens the log's storage for reading only: nothing is created, locked or written.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The storage, whose write methods throw <see cref="InvalidOperationException"/>; the caller disposes it.</returns>
    /// <exception cref="FileNotFoundException">The store holds no log.</exception>
    /// <exception cref="InvalidDataException">The stored log is empty, not one this version reads, or corrupt.</exception>
    /// <exception cref="System.Data.Common.DbException">The database cannot be reached or refuses the work.</exception>
    Task<ILogStorage> OpenLogForReadingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lock <paramref name="name"/> that every replica of this store shares, waiting until it is free.
    /// </summary>
    /// <param name="name">The lock; callers name what it guards (for example one privacy budget).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The held lock; disposing it releases the lock.</returns>
    /// <remarks>
    /// An engine shared by several processes (PostgreSQL) MUST let one holder of a name at a time, among all its
    /// replicas, until the returned object is disposed. An engine whose store belongs to one process (SQLite) MAY
    /// return at once: callers MUST serialise their own holders within the process, as they do anyway for the state
    /// the lock guards, and MUST make the writes it guards durable before they release it.
    /// </remarks>
    /// <exception cref="System.Data.Common.DbException">The database cannot be reached or refuses the lock.</exception>
    Task<IAsyncDisposable> LockAsync(StoreLockName name, CancellationToken cancellationToken);
}
