using Concordat.Agreements;
using Concordat.Core;
using Concordat.Storage.Sqlite;
using Concordat.Storage.Sqlite.Registry;
using Concordat.Store;
using Concordat.Store.Registry;
using Concordat.Testing.Registry;
using Microsoft.Data.Sqlite;

namespace Concordat.Storage.Tests.Sqlite;

public sealed class SqliteRegistryStoreTests : RegistryStoreConformanceTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("concordat-registry-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task InitializeAsync_TokensTableWithoutSubprocessorOrAction_AddsTheColumnsAndKeepsTokensAsReadRows()
    {
        var path = Path.Combine(_directory, "old.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = $"""
                CREATE TABLE registry_tokens (
                    id TEXT PRIMARY KEY, hash BLOB NOT NULL UNIQUE, client_id TEXT NOT NULL, recipient TEXT NOT NULL,
                    agreement_id TEXT NOT NULL, agreement_digest TEXT NOT NULL, dataset TEXT NOT NULL, purpose TEXT NOT NULL,
                    jurisdiction TEXT NOT NULL, decision_id TEXT NOT NULL, obligations TEXT NOT NULL,
                    issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
                INSERT INTO registry_tokens VALUES ('tok_old', x'00', 'cid_1', 'lab', 'a1', '{Sha256Digest.Compute("a1"u8)}', 'ds', 'training', 'GB', 'dec_old', '', 0, 1, NULL);
                """;
            await create.ExecuteNonQueryAsync();
        }

        using var store = new SqliteRegistryStore(path);
        await store.InitializeAsync(default);
        await store.AddTokenAsync(RegistryRecords.Token("tok_new", new PartyId("lab"), DateTimeOffset.UnixEpoch), default);

        var old = (await store.FindTokenAsync(new TokenId("tok_old"), default))!;
        var added = (await store.FindTokenAsync(new TokenId("tok_new"), default))!;
        Assert.Null(old.Subprocessor);
        Assert.Equal(new PartyId("cloud-1"), added.Subprocessor);
        Assert.Equal(DataAction.ReadRows, old.IssuedFor);
        Assert.Equal(DataAction.AggregateQuery, added.Action);
    }

    protected override Task<IStoreEngine> CreateEngineAsync() =>
        Task.FromResult<IStoreEngine>(new SqliteStoreEngine(Directory.CreateDirectory(Path.Combine(_directory, $"{Guid.NewGuid():N}")).FullName));
}
