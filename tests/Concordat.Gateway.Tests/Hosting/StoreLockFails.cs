using System.Data.Common;
using Concordat.Log;
using Concordat.Store;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Hosting;

/// <summary>The gateway's store whose locks of one kind (the first line of their names) fail as an unreachable database's do; everything else is the real store.</summary>
internal sealed class StoreLockFails(IStoreEngine store, string kind) : IStoreEngine
{
    public string Name => store.Name;

    public IRegistryStore Registry => store.Registry;

    public IRevocationFeed Revocations => store.Revocations;

    /// <summary>Replaces the gateway's store with one whose <paramref name="kind"/> locks fail.</summary>
    public static Action<IServiceCollection> Override(string kind) => services =>
    {
        var real = services.Last(d => d.ServiceType == typeof(IStoreEngine)).ImplementationFactory!;
        services.AddSingleton<IStoreEngine>(provider => new StoreLockFails((IStoreEngine)real(provider), kind));
    };

    public Task<bool> HasLogAsync(CancellationToken cancellationToken) => store.HasLogAsync(cancellationToken);

    public Task<ILogStorage> OpenLogAsync(CancellationToken cancellationToken) => store.OpenLogAsync(cancellationToken);

    public Task<ILogStorage> OpenLogForReadingAsync(CancellationToken cancellationToken) => store.OpenLogForReadingAsync(cancellationToken);

    public Task<IAsyncDisposable> LockAsync(StoreLockName name, CancellationToken cancellationToken) =>
        name.Value.StartsWith(kind + "\n", StringComparison.Ordinal) ? throw new StoreDown() : store.LockAsync(name, cancellationToken);

    public ValueTask DisposeAsync() => store.DisposeAsync();

    private sealed class StoreDown() : DbException("the database cannot be reached");
}
