using Concordat.Storage.Sqlite;
using Concordat.Storage.Tests.Postgres;
using Npgsql;

namespace Concordat.Cli.Tests.Commands;

/// <summary>The stored-log verbs with <c>--store</c>: the log in a real PostgreSQL database, the key in the workspace.</summary>
[Collection(PostgresGroup.Name)]
public sealed class LogStoreCommandsPostgresTests(PostgresServer server) : IDisposable
{
    private readonly string _workspace = Path.Combine(Directory.CreateTempSubdirectory("concordat-cli-pglog-").FullName, "ws");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_workspace)!, recursive: true);

    [Fact]
    public async Task InitAppendCheckpointVerify_OnPostgres_SucceedsWithNoLogFileInTheWorkspace()
    {
        var store = await server.CreateDatabaseAsync("cli_log");

        var init = await RunAsync(store, "init");
        await AppendAsync(store, 3);
        var checkpoint = await RunAsync(store, "checkpoint");
        var verify = await RunAsync(store, "verify");

        Assert.Equal((0, 0), (init.ExitCode, checkpoint.ExitCode));
        Assert.Equal(0, verify.ExitCode);
        Assert.StartsWith("log verified: 3 entries, root ", verify.Out, StringComparison.Ordinal);
        Assert.Contains("2 checkpoints consistent", verify.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_workspace, SqliteLogStorage.DatabaseFileName)));
    }

    [Fact]
    public async Task Verify_EntryTamperedOnPostgres_ExitsFourNamingTheEntry()
    {
        var store = await server.CreateDatabaseAsync("cli_log");
        Assert.Equal(0, (await RunAsync(store, "init")).ExitCode);
        await AppendAsync(store, 4);
        await using (var connection = new NpgsqlConnection(store))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE log_entries SET entry = overlay(entry placing '\\x41'::bytea from 13 for 1) WHERE idx = 2", connection);
            await command.ExecuteNonQueryAsync();
        }

        var verify = await RunAsync(store, "verify");

        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("LOG4103: entry 2 does not match its stored leaf hash", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NoLogInTheDatabase_ExitsOneAndCreatesNothing()
    {
        var store = await server.CreateDatabaseAsync("cli_log");

        var result = await CliRunner.RunAsync("log", "get", "--workspace", _workspace, "--store", store, "--index", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("LOG4122", result.Error, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(store);
        await connection.OpenAsync();
        await using var probe = new NpgsqlCommand("SELECT to_regclass('log_head') IS NULL", connection);
        Assert.True((bool)(await probe.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Get_StoreUnreachable_ExitsOneWithOneClearLine()
    {
        var result = await CliRunner.RunAsync("log", "get", "--workspace", _workspace, "--store", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=5", "--index", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("LOG4126: the PostgreSQL store cannot be opened", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportThenVerifyBundle_OnPostgres_VerifiesOfflineAndAStoreWithoutTheLogIsLog4127()
    {
        var store = await server.CreateDatabaseAsync("cli_log");
        Assert.Equal(0, (await RunAsync(store, "init")).ExitCode);
        await AppendAsync(store, 3);
        Assert.Equal(0, (await RunAsync(store, "checkpoint")).ExitCode);
        var export = Path.Combine(_workspace, "..", "export.ndjson");

        var exported = await CliRunner.RunAsync("log", "export", "--workspace", _workspace, "--store", store, "--out", export);
        var verified = await CliRunner.RunAsync("log", "verify", "--bundle", export, "--log-key", Path.Combine(_workspace, "log.pub"));
        var missing = await RunAsync(await server.CreateDatabaseAsync("cli_log"), "verify");

        Assert.Equal((0, 0), (exported.ExitCode, verified.ExitCode));
        Assert.StartsWith("export verified: 3 entries", verified.Out, StringComparison.Ordinal);
        Assert.Contains("2 checkpoints consistent, history matches its signed record", verified.Out, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("LOG4127", missing.Error, StringComparison.Ordinal);
    }

    private Task<CliResult> RunAsync(string store, string verb) => CliRunner.RunAsync("log", verb, "--workspace", _workspace, "--store", store);

    private async Task AppendAsync(string store, int count)
    {
        var body = Path.Combine(_workspace, "..", "entry.json");
        for (var i = 0; i < count; i++)
        {
            await File.WriteAllTextAsync(body, $$"""{"n":{{i}}}""");
            Assert.Equal(0, (await CliRunner.RunAsync("log", "append", "--workspace", _workspace, "--store", store, "--type", "test/v1", body)).ExitCode);
        }
    }
}
