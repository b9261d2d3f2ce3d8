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

        // Each entry was its own commit, so entry 5 is the one entry of the bundle that starts at 5.
        storage.ExecuteForTest("UPDATE log_entry_bundles SET entries = CAST(substr(entries, 1, 10) || X'41' || substr(entries, 12) AS BLOB) WHERE start = 5");
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

        ReplaceHash(storage, new MerkleNodeId(2, 1), "substr(hashes, {0} + 1, 31) || (CASE WHEN substr(hashes, {0} + 32, 1) = X'00' THEN X'01' ELSE X'00' END)");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4104", verification.Problem?.Code);
        Assert.Equal(4, verification.Problem?.EntryIndex);
        Assert.Contains("`2/1` over entries 4..7", verification.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTree_LeafHashChanged_NamesTheEntry()
    {
        await using var storage = await CreateLogAsync();

        ReplaceHash(storage, new MerkleNodeId(0, 13), "zeroblob(32)");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4103", verification.Problem?.Code);
        Assert.Equal(13, verification.Problem?.EntryIndex);
    }

    [Fact]
    public async Task VerifyTree_EntryBundleDeleted_NamesTheMissingEntry()
    {
        await using var storage = await CreateLogAsync();

        storage.ExecuteForTest("DELETE FROM log_entry_bundles WHERE start = 7");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4101", verification.Problem?.Code);
        Assert.Equal("entry 7 is missing from storage", verification.Problem?.Message);
    }

    [Fact]
    public async Task VerifyTree_EntryCutFromItsBundle_NamesTheMissingEntry()
    {
        await using var storage = await CreateLogAsync();
        var entries = await storage.ReadEntriesAsync(4, 3, default);

        // One bundle of entries 4..7 in place of four bundles of one entry, whose last length runs past its end.
        var bundle = entries.SelectMany(e => new[] { (byte)e.Entry.Length }.Concat(e.Entry)).Append((byte)0x7F).Append((byte)'{');
        storage.ExecuteForTest($"DELETE FROM log_entry_bundles WHERE start IN (5, 6, 7); UPDATE log_entry_bundles SET count = 4, entries = X'{Convert.ToHexString([.. bundle])}' WHERE start = 4");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal(entries.Select(e => (e.Index, Convert.ToHexString(e.Entry))), (await storage.ReadEntriesAsync(4, 4, default)).Select(e => (e.Index, Convert.ToHexString(e.Entry))));
        Assert.Equal("LOG4101", verification.Problem?.Code);
        Assert.Equal("entry 7 is missing from storage", verification.Problem?.Message);
    }

    [Fact]
    public async Task VerifyTree_HashCutFromItsRun_NamesTheMissingHash()
    {
        await using var storage = await CreateLogAsync();

        // 3/0 is the last hash of the run written with entry 7 (0/7, 1/3, 2/1, 3/0): cutting it leaves the run one hash short.
        ReplaceHash(storage, new MerkleNodeId(3, 0), "X''");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4102", verification.Problem?.Code);
        Assert.Equal(0, verification.Problem?.EntryIndex);
        Assert.Contains("`3/0` over entries 0..7 is missing", verification.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTree_HashCutFromTheMiddleOfItsRun_NamesTheNodeWhoseHashShifted()
    {
        await using var storage = await CreateLogAsync();

        // Entry 15's run holds 0/15, 1/7, 2/3, 3/1, 4/0: without 3/1, the hash of 4/0 is read in its place.
        ReplaceHash(storage, new MerkleNodeId(3, 1), "X''");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4104", verification.Problem?.Code);
        Assert.Equal(8, verification.Problem?.EntryIndex);
        Assert.Contains("`3/1` over entries 8..15 does not match", verification.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyTree_HashRunDeleted_NamesItsFirstHash()
    {
        await using var storage = await CreateLogAsync();

        // Each entry was its own commit, so entry 15's run holds 0/15, 1/7, 2/3, 3/1 and 4/0.
        storage.ExecuteForTest($"DELETE FROM log_hash_runs WHERE start = {new MerkleNodeId(0, 15).StoredIndex}");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal("LOG4102", verification.Problem?.Code);
        Assert.Equal(15, verification.Problem?.EntryIndex);
        Assert.Equal("the leaf hash of entry 15 is missing from storage", verification.Problem?.Message);
    }

    [Fact]
    public async Task VerifyTree_EntryBundleAddedAtTheEnd_NamesItsMissingLeafHash()
    {
        await using var storage = await CreateLogAsync();

        // The tree size is the end of the last bundle, so an added bundle grows the tree without its hashes.
        storage.ExecuteForTest($"INSERT INTO log_entry_bundles (start, count, entries) VALUES ({Size}, 1, X'027B7D')");
        var verification = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal(Size + 1, await storage.ReadTreeSizeAsync(default));
        Assert.Equal("LOG4102", verification.Problem?.Code);
        Assert.Equal(Size, verification.Problem?.EntryIndex);
        Assert.Equal($"the leaf hash of entry {Size} is missing from storage", verification.Problem?.Message);
    }

    [Fact]
    public async Task VerifyTree_Twice_NeverRepairs()
    {
        await using var storage = await CreateLogAsync();
        storage.ExecuteForTest($"DELETE FROM log_hash_runs WHERE start = {new MerkleNodeId(0, 3).StoredIndex}");

        var first = await LogVerifier.VerifyTreeAsync(storage, default);
        var second = await LogVerifier.VerifyTreeAsync(storage, default);

        Assert.Equal(first.Problem, second.Problem);
        Assert.Null((await storage.ReadHashesAsync([new Concordat.Merkle.MerkleNodeId(0, 3)], default))[0]);
    }

    [Fact]
    public async Task Open_FrontierHashDeleted_RefusesToExtendTheLog()
    {
        await using var storage = await CreateLogAsync();
        ReplaceHash(storage, new MerkleNodeId(4, 0), "X''");

        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);
        var error = await Assert.ThrowsAsync<LogDamagedException>(() => LogTestData.AppendAsync(log, LogTestData.Entry(Size)));

        Assert.Equal("LOG4113", error.Problem.Code);
        Assert.Contains("`4/0`", error.Message, StringComparison.Ordinal);
        Assert.Equal(Size, await storage.ReadTreeSizeAsync(default));
    }

    // Replaces the 32 bytes of one stored hash inside its run by `replacement`, an SQL expression in which {0}
    // stands for the hash's byte offset in the run.
    private static void ReplaceHash(SqliteLogStorage storage, MerkleNodeId id, string replacement)
    {
        var offset = $"(({id.StoredIndex} - start) * 32)";
        var run = $"(SELECT max(start) FROM log_hash_runs WHERE start <= {id.StoredIndex})";
        storage.ExecuteForTest(
            $"UPDATE log_hash_runs SET hashes = CAST(substr(hashes, 1, {offset}) || {string.Format(System.Globalization.CultureInfo.InvariantCulture, replacement, offset)} || substr(hashes, {offset} + 33) AS BLOB) WHERE start = {run}");
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
