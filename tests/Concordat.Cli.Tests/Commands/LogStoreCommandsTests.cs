using Concordat.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Concordat.Cli.Tests.Commands;

public sealed class LogStoreCommandsTests : IDisposable
{
    private readonly string _workspace = Path.Combine(Directory.CreateTempSubdirectory("concordat-cli-log-").FullName, "ws");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_workspace)!, recursive: true);

    [Fact]
    public async Task Init_NewWorkspace_WritesOwnerOnlyKeyAndPrintsVerifierKey()
    {
        var result = await CliRunner.RunAsync("log", "init", "--workspace", _workspace, "--origin", "log.example.org");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("log.example.org+", result.Out, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_workspace, "log.key")));
        Assert.Equal(1, (await CliRunner.RunAsync("log", "init", "--workspace", _workspace)).ExitCode);
    }

    [Fact]
    public async Task AppendGetCheckpointVerify_RoundTrip_Succeeds()
    {
        await InitAsync();
        var body = Path.Combine(_workspace, "..", "body.json");
        await File.WriteAllTextAsync(body, """{ "decisionId": "d-1", "effect": "permit" }""");

        var first = await CliRunner.RunAsync("log", "append", "--workspace", _workspace, "--type", "decision/v1", body);
        var second = await CliRunner.RunAsync("log", "append", "--workspace", _workspace, "--type", "decision/v1", body);
        var get = await CliRunner.RunAsync("log", "get", "--workspace", _workspace, "--index", "1");
        var checkpoint = await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace);
        var verify = await CliRunner.RunAsync("log", "verify", "--workspace", _workspace);

        Assert.Equal(("0", "1"), (first.Out.Trim(), second.Out.Trim()));
        Assert.Matches("""^\{"body":\{"decisionId":"d-1","effect":"permit"\},"time":"[0-9T:.-]+Z","type":"decision/v1"\}$""", get.Out.Trim());
        Assert.StartsWith("concordat.log\n2\n", checkpoint.Out, StringComparison.Ordinal);
        Assert.Equal(0, verify.ExitCode);
        Assert.StartsWith("log verified: 2 entries, root ", verify.Out, StringComparison.Ordinal);
        Assert.Contains("2 checkpoints consistent", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProveInclusion_Output_IsAcceptedByCheckInclusion()
    {
        await InitWithEntriesAsync(7);

        var proof = await CliRunner.RunAsync("log", "prove", "inclusion", "--workspace", _workspace, "--index", "5");
        var check = await CliRunner.RunAsync(["log", "check-inclusion", .. proof.Out.Trim().Split(' ')]);

        Assert.Equal(0, proof.ExitCode);
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public async Task ProveConsistency_Output_IsAcceptedByCheckConsistency()
    {
        await InitWithEntriesAsync(7);

        var proof = await CliRunner.RunAsync("log", "prove", "consistency", "--workspace", _workspace, "--size1", "3");
        var check = await CliRunner.RunAsync(["log", "check-consistency", .. proof.Out.Trim().Split(' ')]);

        Assert.Equal(0, proof.ExitCode);
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public async Task Prove_SizesOutsideTheLog_ExitsInvalid()
    {
        await InitWithEntriesAsync(3);

        var inclusion = await CliRunner.RunAsync("log", "prove", "inclusion", "--workspace", _workspace, "--index", "3");
        var consistency = await CliRunner.RunAsync("log", "prove", "consistency", "--workspace", _workspace, "--size1", "2", "--size2", "9");

        Assert.Equal((3, 3), (inclusion.ExitCode, consistency.ExitCode));
        Assert.Contains("LOG4112", inclusion.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntryTampered_ExitsFourNamingTheEntry()
    {
        await InitWithEntriesAsync(4);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_workspace, SqliteLogStorage.DatabaseFileName)};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE log_entry_bundles SET entries = CAST(substr(entries, 1, 12) || X'41' || substr(entries, 14) AS BLOB) WHERE start = 2";
            command.ExecuteNonQuery();
        }

        var verify = await CliRunner.RunAsync("log", "verify", "--workspace", _workspace);

        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("LOG4103: entry 2 does not match its stored leaf hash", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_WhileAnotherProcessHoldsTheLog_ExitsWithOneClearLine()
    {
        await InitAsync();
        await using var holder = SqliteLogStorage.Open(_workspace);

        var result = await CliRunner.RunAsync("log", "append", "--workspace", _workspace, "--type", "test/v1", Path.Combine(_workspace, "log.pub"));

        Assert.Equal(3, result.ExitCode);
        var appendJson = Path.Combine(_workspace, "..", "ok.json");
        await File.WriteAllTextAsync(appendJson, "{}");
        var locked = await CliRunner.RunAsync("log", "append", "--workspace", _workspace, "--type", "test/v1", appendJson);
        Assert.Equal(1, locked.ExitCode);
        Assert.Contains("LOG4120", locked.Error, StringComparison.Ordinal);
        Assert.Contains("in use by another process", locked.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CorruptDatabase_ExitsWithOneClearLine()
    {
        await InitAsync();
        await File.WriteAllTextAsync(Path.Combine(_workspace, SqliteLogStorage.DatabaseFileName), new string('x', 8192));
        File.Delete(Path.Combine(_workspace, SqliteLogStorage.DatabaseFileName + "-wal"));

        var result = await CliRunner.RunAsync("log", "verify", "--workspace", _workspace);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("LOG4121", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("  help", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_NoLogInWorkspace_ExitsOne()
    {
        var result = await CliRunner.RunAsync("log", "get", "--workspace", _workspace, "--index", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("LOG4122", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_StoppedWorkspace_WritesNothing()
    {
        await InitWithEntriesAsync(3);
        var before = Snapshot();

        var verify = await CliRunner.RunAsync("log", "verify", "--workspace", _workspace);
        var prove = await CliRunner.RunAsync("log", "prove", "inclusion", "--workspace", _workspace, "--index", "1");

        Assert.Equal((0, 0), (verify.ExitCode, prove.ExitCode));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Verify_BesideAWriterThatHoldsTheLog_ReadsItWithoutChangingTheDatabaseOrTheWal()
    {
        await InitWithEntriesAsync(2);
        await using var holder = SqliteLogStorage.Open(_workspace);
        var database = Path.Combine(_workspace, SqliteLogStorage.DatabaseFileName);
        var before = Snapshot();

        var verify = await CliRunner.RunAsync("log", "verify", "--workspace", _workspace);

        Assert.Equal(0, verify.ExitCode);
        Assert.True(File.Exists(database + "-wal"));
        var after = Snapshot();
        Assert.Equal(before[database], after[database]);
        Assert.Equal(before[database + "-wal"], after[database + "-wal"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Verify_LogDatabaseEmptyOrMissing_ExitsOneWithLog4127(bool empty)
    {
        await InitWithEntriesAsync(1);
        var database = Path.Combine(_workspace, SqliteLogStorage.DatabaseFileName);
        File.Delete(database);
        if (empty)
        {
            await File.WriteAllBytesAsync(database, []);
        }

        var verify = await CliRunner.RunAsync("log", "verify", "--workspace", _workspace);
        var append = await CliRunner.RunAsync("log", "append", "--workspace", _workspace, "--type", "test/v1", Path.Combine(_workspace, "..", "entry.json"));

        Assert.Equal((1, 1), (verify.ExitCode, append.ExitCode));
        Assert.Contains("LOG4127: the workspace", verify.Error, StringComparison.Ordinal);
        Assert.Contains("LOG4127", append.Error, StringComparison.Ordinal);
        Assert.Equal(empty, File.Exists(database));
        Assert.True(!empty || new FileInfo(database).Length == 0);
    }

    [Fact]
    public async Task Append_LastLeafHashChanged_ExitsFourWithLog4113AndAppendsNothing()
    {
        await InitWithEntriesAsync(3);
        Assert.Equal(0, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace)).ExitCode);

        // The run of entry 2 holds only its leaf hash 0/2, the last leaf and the right edge's last hash.
        Execute($"UPDATE log_hash_runs SET hashes = zeroblob(32) WHERE start = {new Merkle.MerkleNodeId(0, 2).StoredIndex}");
        var append = await CliRunner.RunAsync("log", "append", "--workspace", _workspace, "--type", "test/v1", Path.Combine(_workspace, "..", "entry.json"));
        var checkpoint = await CliRunner.RunAsync("log", "checkpoint", "--workspace", _workspace);

        Assert.Equal(4, append.ExitCode);
        Assert.Contains("LOG4113: the log refuses to grow: the stored right edge at tree size 3", append.Error, StringComparison.Ordinal);
        Assert.Equal(4, checkpoint.ExitCode);
        Assert.Contains("LOG4107", checkpoint.Error, StringComparison.Ordinal);
        Assert.Equal(3, await ReadTreeSizeAsync());
    }

    [Fact]
    public async Task DocsExample_ProveThenCheckInclusionOnAOneEntryLog_Holds()
    {
        await InitWithEntriesAsync(1);

        var proof = await CliRunner.RunAsync("log", "prove", "inclusion", "--workspace", _workspace, "--index", "0");
        var check = await CliRunner.RunAsync(["log", "check-inclusion", .. proof.Out.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]);

        Assert.EndsWith("--proof", proof.Out.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, check.ExitCode);
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_workspace, SqliteLogStorage.DatabaseFileName)};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task<long> ReadTreeSizeAsync()
    {
        await using var storage = SqliteLogStorage.OpenForReading(_workspace);
        return await storage.ReadTreeSizeAsync(default);
    }

    // Every file of the workspace with its bytes and last write time, except the writer's lock file.
    private Dictionary<string, (string Sha256, DateTime WrittenAt)> Snapshot() =>
        Directory.GetFiles(_workspace)
            .Where(f => Path.GetFileName(f) != SqliteLogStorage.LockFileName)
            .ToDictionary(f => f, f => (Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), File.GetLastWriteTimeUtc(f)));

    private async Task InitAsync() => Assert.Equal(0, (await CliRunner.RunAsync("log", "init", "--workspace", _workspace)).ExitCode);

    private async Task InitWithEntriesAsync(int count)
    {
        await InitAsync();
        var body = Path.Combine(_workspace, "..", "entry.json");
        for (var i = 0; i < count; i++)
        {
            await File.WriteAllTextAsync(body, $$"""{"n":{{i}}}""");
            Assert.Equal(0, (await CliRunner.RunAsync("log", "append", "--workspace", _workspace, "--type", "test/v1", body)).ExitCode);
        }
    }
}
