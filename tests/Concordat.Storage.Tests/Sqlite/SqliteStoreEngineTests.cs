using Concordat.Storage.Sqlite;
using Concordat.Store;
using Concordat.Testing;

namespace Concordat.Storage.Tests.Sqlite;

public sealed class SqliteStoreEngineTests : StoreEngineConformanceTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    protected override Task<IStoreEngine> CreateEngineAsync() =>
        Task.FromResult<IStoreEngine>(new SqliteStoreEngine(Directory.CreateDirectory(Path.Combine(_directory.Path, $"{Guid.NewGuid():N}")).FullName));

    // A workspace's database belongs to one gateway process: there is no replica to hear from.
    protected override IStoreEngine? CreateReplica(IStoreEngine engine) => null;
}
