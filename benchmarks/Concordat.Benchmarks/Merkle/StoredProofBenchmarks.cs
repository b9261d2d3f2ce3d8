using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Storage.Postgres;
using Concordat.Storage.Sqlite;
using Npgsql;

namespace Concordat.Benchmarks.Merkle;

/// <summary>
/// Inclusion and consistency proofs read from a SQLite log of 1 M and 10 M entries (the stored hashes through
/// <see cref="LogHashSource"/>), the way <c>concordat log prove</c> and the gateway's proof endpoints build them. The
/// log is written once per size in a temporary workspace and deleted afterwards. With <see cref="Engine"/>
/// <c>postgres</c> (from <c>stored-proof-rate</c> only) the log is a fresh database on the server that
/// CONCORDAT_BENCH_PG names, dropped afterwards.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class StoredProofBenchmarks
{
    private const int Probes = 1024;
    private const int SetupBatch = 65_536;

    private string _workspace = "";
    private string? _server;
    private string? _database;
    private ILogStorage _storage = null!;
    private LogHashSource _source = null!;
    private long[] _indices = null!;
    private long[] _oldSizes = null!;
    private long _size;
    private int _next;

    /// <summary>Gets or sets the number of entries in the log.</summary>
    [Params(1_000_000, 10_000_000)]
    public int Entries { get; set; }

    /// <summary>Whether proofs go through a <see cref="LogHashCache"/>, as the gateway's proof endpoints do.</summary>
    [Params(false, true)]
    public bool Cached { get; set; }

    /// <summary>Gets or sets the storage engine: <c>sqlite</c> or <c>postgres</c>.</summary>
    public string Engine { get; set; } = "sqlite";

    // Synchronous: the in-process toolchain does not await an asynchronous set-up, and the proofs would start on a log
    // still being written (as DetectorCursorBenchmarks found). stored-proof-rate calls the asynchronous methods itself.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    public async Task SetupAsync()
    {
        if (Engine == "postgres")
        {
            _server = Environment.GetEnvironmentVariable("CONCORDAT_BENCH_PG")
                ?? throw new InvalidOperationException("set CONCORDAT_BENCH_PG to a connection string to benchmark PostgreSQL");
            _database = $"concordat_proofs_{Environment.ProcessId}_{(Cached ? "cached" : "uncached")}";
            await RunOnServerAsync($"CREATE DATABASE {_database}");
            _storage = await PostgresLogStorage.OpenAsync(new NpgsqlConnectionStringBuilder(_server) { Database = _database }.ToString(), default);
        }
        else
        {
            _workspace = Directory.CreateTempSubdirectory("concordat-proof-bench-").FullName;
            _storage = SqliteLogStorage.Open(_workspace);
        }

        var tree = new CompactMerkleTree();
        var nodes = new List<MerkleNode>(SetupBatch * 2);
        var entries = new ReadOnlyMemory<byte>[SetupBatch];
        for (var start = 0; start < Entries; start += SetupBatch)
        {
            var count = Math.Min(SetupBatch, Entries - start);
            nodes.Clear();
            for (var i = 0; i < count; i++)
            {
                var entry = new byte[16];
                BinaryPrimitives.WriteInt64BigEndian(entry, start + i);
                entries[i] = entry;
                tree.Append(MerkleHash.OfLeaf(entry), nodes);
            }

            if (!await _storage.TryAppendAsync(new LogBatch(start, entries[..count], nodes), default))
            {
                throw new InvalidOperationException("the benchmark log changed under its writer");
            }
        }

        _source = new LogHashSource(_storage, Cached ? new LogHashCache() : null);
        _size = Entries - 1;
        var random = new Random(6962);
        _indices = [.. Enumerable.Range(0, Probes).Select(_ => random.NextInt64(0, _size))];
        _oldSizes = [.. Enumerable.Range(0, Probes).Select(_ => random.NextInt64(1, _size))];
    }

    public async Task CleanupAsync()
    {
        await _storage.DisposeAsync();
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await RunOnServerAsync($"DROP DATABASE {_database} WITH (FORCE)");
        }
        else
        {
            Directory.Delete(_workspace, recursive: true);
        }
    }

    [Benchmark]
    public ValueTask<IReadOnlyList<MerkleHash>> CreateInclusionProof() =>
        MerkleProofs.CreateInclusionProofAsync(_source, _indices[Next()], _size);

    [Benchmark]
    public ValueTask<IReadOnlyList<MerkleHash>> CreateConsistencyProof() =>
        MerkleProofs.CreateConsistencyProofAsync(_source, _oldSizes[Next()], _size);

    private async Task RunOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private int Next()
    {
        var i = _next;
        _next = (i + 1) & (Probes - 1);
        return i;
    }
}
