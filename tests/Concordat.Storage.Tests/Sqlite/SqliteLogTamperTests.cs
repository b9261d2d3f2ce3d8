using Concordat.Log;
using Concordat.Merkle;
using Concordat.Storage.Sqlite;
using Concordat.Testing.Log;

namespace Concordat.Storage.Tests.Sqlite;

public sealed class SqliteLogTamperTests : IDisposable
{
    private const int Size = 20;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task VerifyTree_ByteOfEntryChanged_NamesTheEntry()
    {
        await using var storage = await CreateLogAsync();
        var original = (await storage.ReadEntriesAsync(5, 1, default))[0].Entry;

        storage.ExecuteForTest("UPDATE log_entries SET entry = CAST(substr(entry, 1, 10) || X'41' || substr(entry, 12) AS BLOB) WHERE idx = 5");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4103", verification.Problem?.Code);
        Assert.Equal(5, verification.Problem?.EntryIndex);
        Assert.Equal("entry 5 does not match its stored leaf hash", verification.Problem?.Message);
        Assert.NotEqual(original, (await storage.ReadEntriesAsync(5, 1, default))[0].Entry);
    }

    [Fact]
    public async Task VerifyTree_ByteOfInteriorHashChanged_NamesTheNodeAndItsEntries()
    {
        await using var storage = await CreateLogAsync();

        storage.ExecuteForTest($"UPDATE log_hashes SET hash = CAST(substr(hash, 1, 31) || (CASE WHEN substr(hash, 32, 1) = X'00' THEN X'01' ELSE X'00' END) AS BLOB) WHERE id = {new MerkleNodeId(2, 1).StoredIndex}");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4104", verification.Problem?.Code);
        Assert.Equal(4, verification.Problem?.EntryIndex);
        Assert.Contains("`2/1` over entries 4..7", verification.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTree_LeafHashChanged_NamesTheEntry()
    {
        await using var storage = await CreateLogAsync();

        storage.ExecuteForTest($"UPDATE log_hashes SET hash = zeroblob(32) WHERE id = {new MerkleNodeId(0, 13).StoredIndex}");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4103", verification.Problem?.Code);
        Assert.Equal(13, verification.Problem?.EntryIndex);
    }

    [Fact]
    public async Task VerifyTree_EntryRowDeleted_NamesTheMissingEntry()
    {
        await using var storage = await CreateLogAsync();

        storage.ExecuteForTest("DELETE FROM log_entries WHERE idx = 7");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4101", verification.Problem?.Code);
        Assert.Equal("entry 7 is missing from storage", verification.Problem?.Message);
    }

    [Fact]
    public async Task VerifyTree_HashRowDeleted_NamesTheMissingHash()
    {
        await using var storage = await CreateLogAsync();

        storage.ExecuteForTest($"DELETE FROM log_hashes WHERE id = {new MerkleNodeId(3, 1).StoredIndex}");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4102", verification.Problem?.Code);
        Assert.Equal(8, verification.Problem?.EntryIndex);
    }

    [Fact]
    public async Task VerifyTree_EntryBeyondTreeSize_IsReported()
    {
        await using var storage = await CreateLogAsync();

        storage.ExecuteForTest($"INSERT INTO log_entries (idx, entry) VALUES ({Size}, X'7B7D')");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4105", verification.Problem?.Code);
        Assert.Equal(Size, verification.Problem?.EntryIndex);
    }

    [Fact]
    public async Task VerifyTree_Twice_NeverRepairs()
    {
        await using var storage = await CreateLogAsync();
        storage.ExecuteForTest($"DELETE FROM log_hashes WHERE id = {new MerkleNodeId(0, 3).StoredIndex}");

        var first = await LogVerifier.VerifyTreeAsync(storage, default);
        var second = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal(first.Problem, second.Problem);
        Assert.Null((await storage.ReadHashesAsync([new Concordat.Merkle.MerkleNodeId(0, 3)], default))[0]);
    }

    [Fact]
    public async Task Open_FrontierHashDeleted_RefusesToExtendTheLog()
    {
        await using var storage = await CreateLogAsync();
        storage.ExecuteForTest($"DELETE FROM log_hashes WHERE id = {new MerkleNodeId(4, 0).StoredIndex}");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default));

        Assert.Contains("`4/0`", error.Message, StringComparison.Ordinal);
    }

    private async Task<SqliteLogStorage> CreateLogAsync()
    {
        var storage = SqliteLogStorage.Open(_directory.Path);
        await using (var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default))
        {
            for (var i = 0; i < Size; i++)
            {
                await LogTestData.AppendAsync(log, LogTestData.Entry(i));
            }
        }

        var verification = await LogVerifier.VerifyTreeAsync(storage, default);
        Assert.True(verification.IsValid);
        return storage;
    }
}
