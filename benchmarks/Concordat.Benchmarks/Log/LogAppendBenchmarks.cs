using BenchmarkDotNet.Attributes;
using Concordat.Log;
using Concordat.Storage.Postgres;
using Concordat.Storage.Sqlite;
using Concordat.Testing.Log;

namespace Concordat.Benchmarks.Log;

/// <summary>
/// Durable appends per second through the group-commit log, with 1, 8 and 64 concurrent appenders and 256-byte
/// entries. PostgreSQL runs when CONCORDAT_BENCH_PG holds a connection string to an empty database.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class LogAppendBenchmarks
{
    private const int AppendsPerInvoke = 4_096;
    private byte[][] _entries = [];
    private string? _workspace;
    private ILogStorage? _storage;
    private TransparencyLog? _log;

    [Params("sqlite", "postgres")]
    public string Engine { get; set; } = "sqlite";

    [Params(1, 8, 64)]
    public int Appenders { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        // 256-byte entries, distinct so that every leaf hash differs.
        _entries = [.. Enumerable.Range(0, AppendsPerInvoke).Select(i => System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i:D10},\"pad\":\"{new string('x', 236)}\"}}"))];
        if (Engine == "sqlite")
        {
            _workspace = Directory.CreateTempSubdirectory("concordat-bench-").FullName;
            _storage = SqliteLogStorage.Open(_workspace);
        }
        else
        {
            var connectionString = Environment.GetEnvironmentVariable("CONCORDAT_BENCH_PG")
                ?? throw new InvalidOperationException("set CONCORDAT_BENCH_PG to a connection string to benchmark PostgreSQL");
            _storage = await PostgresLogStorage.OpenAsync(connectionString, default);
        }

        _log = await TransparencyLog.OpenAsync(_storage, TimeProvider.System, null, default);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _log!.DisposeAsync();
        await _storage!.DisposeAsync();
        if (_workspace is not null)
        {
            Directory.Delete(_workspace, recursive: true);
        }
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public async Task DurableAppend()
    {
        var perAppender = AppendsPerInvoke / Appenders;
        await Task.WhenAll(Enumerable.Range(0, Appenders).Select(a => Task.Run(async () =>
        {
            for (var i = a * perAppender; i < (a + 1) * perAppender; i++)
            {
                var result = await LogTestData.AppendAsync(_log!, _entries[i]);
                while (result.IsPushback)
                {
                    await Task.Delay(result.RetryAfter);
                    result = await LogTestData.AppendAsync(_log!, _entries[i]);
                }
            }
        })));
    }
}
