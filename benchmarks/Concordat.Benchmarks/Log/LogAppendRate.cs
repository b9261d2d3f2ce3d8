using System.Diagnostics;
using Concordat.Log;
using Concordat.Storage.Postgres;
using Concordat.Storage.Sqlite;
using Concordat.Testing.Log;

namespace Concordat.Benchmarks.Log;

/// <summary>
/// Sustained durable appends per second for a fixed wall-clock time, with the number of commits, so the mean
/// group-commit batch shows beside the rate. Run with <c>-- log-append-rate [sqlite|postgres] [appenders] [seconds]</c>;
/// PostgreSQL reads its connection string from CONCORDAT_BENCH_PG.
/// </summary>
public static class LogAppendRate
{
    public static async Task RunAsync(TextWriter output, string engine, int appenders, int seconds)
    {
        string? workspace = null;
        string? connectionString = null;
        ILogStorage inner;
        if (engine == "sqlite")
        {
            workspace = Directory.CreateTempSubdirectory("concordat-rate-").FullName;
            inner = SqliteLogStorage.Open(workspace);
        }
        else
        {
            connectionString = Environment.GetEnvironmentVariable("CONCORDAT_BENCH_PG")
                ?? throw new InvalidOperationException("set CONCORDAT_BENCH_PG to a connection string to benchmark PostgreSQL");
            inner = await PostgresLogStorage.OpenAsync(connectionString, default);
        }

        var storage = new CommitCountingStorage(inner);
        var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, null, default);
        var entries = Enumerable.Range(0, 4096)
            .Select(i => System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i:D10},\"pad\":\"{new string('x', 236)}\"}}"))
            .ToArray();
        long appended = 0;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var serverBefore = connectionString is null ? null : await PostgresServerUsage.ReadAsync(connectionString);
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (writtenBefore, writesBefore) = ReadProcessIo();
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
        {
            var i = a;
            while (!stop.IsCancellationRequested)
            {
                var result = await LogTestData.AppendAsync(log, entries[i & 4095]);
                if (result.IsPushback)
                {
                    await Task.Delay(result.RetryAfter);
                    continue;
                }

                Interlocked.Increment(ref appended);
                i += appenders;
            }
        })));
        watch.Stop();
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var peakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var (writtenAfter, writesAfter) = ReadProcessIo();
        var serverAfter = connectionString is null ? null : await PostgresServerUsage.ReadAsync(connectionString);
        await log.DisposeAsync();
        await storage.DisposeAsync();
        if (workspace is not null)
        {
            Directory.Delete(workspace, recursive: true);
        }

        var rate = appended / watch.Elapsed.TotalSeconds;
        output.WriteLine(
            $"{engine} appenders={appenders}: {appended:N0} appends in {watch.Elapsed.TotalSeconds:F1} s = {rate:N0}/s; " +
            $"{storage.Commits:N0} commits, mean batch {(double)appended / Math.Max(1, storage.Commits):F1}; " +
            $"process CPU {cpu.TotalSeconds / watch.Elapsed.TotalSeconds:F2} cores, {cpu.TotalMicroseconds / appended:F1} µs CPU per append; " +
            $"{(double)(writtenAfter - writtenBefore) / appended:F0} bytes written per append and {(double)(writesAfter - writesBefore) / Math.Max(1, storage.Commits):F1} write calls per commit; " +
            $"managed heap {heapBefore / 1048576.0:F1} MiB before, {heapAfter / 1048576.0:F1} MiB after, peak working set {peakWorkingSet / 1048576.0:F0} MiB" +
            ServerUsage(serverBefore, serverAfter, appended));
    }

    private static string ServerUsage(PostgresServerUsage? before, PostgresServerUsage? after, long appended)
    {
        if (before is null || after is null)
        {
            return string.Empty;
        }

        var cpu = before.Cpu is { } start && after.Cpu is { } end
            ? $", {(end - start).TotalMicroseconds / appended:F1} µs server CPU per append"
            : ", server CPU unknown (not local or not readable)";
        return $"; PostgreSQL: {(double)(after.WalBytes - before.WalBytes) / appended:F0} bytes of WAL per append{cpu}";
    }

    // Linux only: the bytes and write calls the process issued, a load-independent measure of storage work.
    private static (long Written, long Writes) ReadProcessIo()
    {
        if (!File.Exists("/proc/self/io"))
        {
            return (0, 0);
        }

        var fields = File.ReadAllLines("/proc/self/io")
            .Select(line => line.Split(':', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return (fields["wchar"], fields["syscw"]);
    }

    private sealed class CommitCountingStorage(ILogStorage inner) : ILogStorage
    {
        private long _commits;

        public long Commits => Interlocked.Read(ref _commits);

        public Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken) => inner.ReadTreeSizeAsync(cancellationToken);

        public async Task<bool> TryAppendAsync(LogBatch batch, CancellationToken cancellationToken)
        {
            var appended = await inner.TryAppendAsync(batch, cancellationToken);
            Interlocked.Increment(ref _commits);
            return appended;
        }

        public Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long startIndex, int count, CancellationToken cancellationToken) =>
            inner.ReadEntriesAsync(startIndex, count, cancellationToken);

        public Task<IReadOnlyList<byte[]?>> ReadHashesAsync(IReadOnlyList<Concordat.Merkle.MerkleNodeId> ids, CancellationToken cancellationToken) =>
            inner.ReadHashesAsync(ids, cancellationToken);

        public Task<IReadOnlyList<byte[]?>> ReadHashesForWriterAsync(IReadOnlyList<Concordat.Merkle.MerkleNodeId> ids, CancellationToken cancellationToken) =>
            inner.ReadHashesForWriterAsync(ids, cancellationToken);

        public Task AddCheckpointAsync(StoredCheckpoint checkpoint, string? historyRecord, CancellationToken cancellationToken) =>
            inner.AddCheckpointAsync(checkpoint, historyRecord, cancellationToken);

        public Task<string?> ReadHistoryRecordAsync(CancellationToken cancellationToken) => inner.ReadHistoryRecordAsync(cancellationToken);

        public Task<StoredCheckpoint?> ReadLatestCheckpointAsync(CancellationToken cancellationToken) => inner.ReadLatestCheckpointAsync(cancellationToken);

        public Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(long minTreeSize, int count, CancellationToken cancellationToken) =>
            inner.ReadCheckpointsAsync(minTreeSize, count, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
