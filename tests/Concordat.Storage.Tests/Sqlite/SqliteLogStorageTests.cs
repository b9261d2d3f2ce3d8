using Concordat.Log;
using Concordat.Storage.Sqlite;
using Concordat.Testing.Log;

namespace Concordat.Storage.Tests.Sqlite;

public sealed class SqliteLogStorageTests : LogStorageConformanceTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private int _workspaces;

    public void Dispose() => _directory.Dispose();

    protected override Task<ILogStorage> CreateStorageAsync()
    {
        var workspace = System.IO.Path.Combine(_directory.Path, $"w{Interlocked.Increment(ref _workspaces)}");
        Directory.CreateDirectory(workspace);
        return Task.FromResult<ILogStorage>(SqliteLogStorage.Open(workspace));
    }

    protected override long CountCommittedTransactions(ILogStorage storage) => ((SqliteLogStorage)storage).CommittedTransactions;

    [Fact]
    public async Task Open_Always_UsesWalWithFullSynchronous()
    {
        await using var storage = SqliteLogStorage.Open(_directory.Path);

        Assert.Equal("wal", storage.ReadPragma("journal_mode"));
        Assert.Equal("2", storage.ReadPragma("synchronous"));
    }

    [Fact]
    public async Task Open_WhileAnotherOpenerHoldsTheWorkspace_FailsWithClearMessage()
    {
        await using var first = SqliteLogStorage.Open(_directory.Path);

        var error = Assert.Throws<IOException>(() => SqliteLogStorage.Open(_directory.Path));

        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AfterDispose_Succeeds()
    {
        await (SqliteLogStorage.Open(_directory.Path)).DisposeAsync();

        await using var second = SqliteLogStorage.Open(_directory.Path);

        Assert.Equal(0, await second.ReadTreeSizeAsync(default));
    }

    [Fact]
    public void Open_FileIsNotADatabase_FailsWithOneClearError()
    {
        File.WriteAllText(System.IO.Path.Combine(_directory.Path, SqliteLogStorage.DatabaseFileName), new string('x', 8192));

        var error = Assert.Throws<InvalidDataException>(() => SqliteLogStorage.Open(_directory.Path));

        Assert.Contains("is not a readable log database", error.Message, StringComparison.Ordinal);
    }
}
