using Concordat.Registry;
using Concordat.Storage.Sqlite.Registry;
using Concordat.Testing.Registry;

namespace Concordat.Storage.Tests.Sqlite;

public sealed class SqliteRegistryStoreTests : RegistryStoreConformanceTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("concordat-registry-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    protected override async Task<IRegistryStore> CreateStoreAsync()
    {
        var store = new SqliteRegistryStore(Path.Combine(_directory, $"{Guid.NewGuid():N}.db"));
        await store.InitializeAsync(default);
        return store;
    }
}
