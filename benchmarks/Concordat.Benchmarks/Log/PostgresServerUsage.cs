using System.Globalization;
using Npgsql;

namespace Concordat.Benchmarks.Log;

/// <summary>
/// What a PostgreSQL server has done so far: the WAL it has written, and, when the server runs on this machine and its
/// data folder is readable, the CPU time of its processes. Two readings around a run give the server's share of the
/// work, which the client's process CPU does not show.
/// </summary>
/// <param name="WalBytes">The WAL insert position, in bytes from the start.</param>
/// <param name="Cpu">The CPU time of the postmaster and every process it started (backends, WAL writer, checkpointer), or null.</param>
internal sealed record PostgresServerUsage(long WalBytes, TimeSpan? Cpu)
{
    // Linux reports process times in clock ticks of USER_HZ, which is 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static async Task<PostgresServerUsage> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint, current_setting('data_directory', true)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var wal = reader.GetInt64(0);
        var dataDirectory = reader.IsDBNull(1) ? null : reader.GetString(1);
        return new PostgresServerUsage(wal, dataDirectory is null ? null : ReadServerCpu(dataDirectory));
    }

    private static TimeSpan? ReadServerCpu(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !Directory.Exists("/proc"))
        {
            return null;
        }

        var postmaster = File.ReadLines(pidFile).First().Trim();
        long ticks = 0;
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(process);
            string stat;
            try
            {
                if (!pid.All(char.IsAsciiDigit))
                {
                    continue;
                }

                stat = File.ReadAllText(Path.Combine(process, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended between the listing and the read.
                continue;
            }

            // Spec: proc(5) — after the parenthesised command name: state, ppid, ..., utime (14), stime (15),
            // cutime (16), cstime (17); the children's times hold the backends that have already exited.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (pid == postmaster)
            {
                ticks += Field(fields, 14) + Field(fields, 15) + Field(fields, 16) + Field(fields, 17);
            }
            else if (fields[1] == postmaster)
            {
                ticks += Field(fields, 14) + Field(fields, 15);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    // proc(5) numbers fields from 1 with the pid; the array starts at field 3 (state).
    private static long Field(string[] fields, int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
}
