using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Concordat.Storage.Tests.Postgres;

/// <summary>
/// A real PostgreSQL server started for the test run from Debian's postgresql package: initdb into a temporary
/// folder, pg_ctl start on a free loopback port, stopped and deleted at the end. Shared by every PostgreSQL test
/// class through <see cref="PostgresGroup"/>.
/// </summary>
/// <remarks>
/// When the server cannot be started, every test that asks for a database fails with the reason: these tests are
/// never skipped, so CI (CI=true) cannot pass without them.
/// </remarks>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private string? _root;
    private string? _binDirectory;
    private string? _startError;
    private int _port;
    private int _databases;

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
#pragma warning disable CA1031 // The reason is reported by every test that needs the server, as a failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _startError = ex.Message;
        }
    }

    /// <summary>Creates a new, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        if (_startError is not null)
        {
            throw new InvalidOperationException(
                $"the PostgreSQL test server could not be started: {_startError}; install the Debian package `postgresql` (scripts/test.sh does)");
        }

        var name = $"{prefix.ToLowerInvariant()}_{Interlocked.Increment(ref _databases)}";
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await command.ExecuteNonQueryAsync();
        }

        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        if (_binDirectory is not null && _root is not null && _port != 0)
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], allowFailure: true);
        }

        if (_root is not null)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner; the tests' outcome does not depend on it.
            }
        }
    }

    private string DataDirectory => Path.Combine(_root!, "data");

    private string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = SuperUser,
        Database = database,
        Pooling = true,
        MaxPoolSize = 20,
    }.ToString();

    private async Task StartAsync()
    {
        _binDirectory = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (_binDirectory is null)
        {
            throw new InvalidOperationException("no /usr/lib/postgresql/*/bin/initdb found");
        }

        _root = Directory.CreateTempSubdirectory("concordat-pg-").FullName;
        if (Environment.UserName == "root")
        {
            // PostgreSQL refuses to run as root; the folder is handed to the postgres system user.
            await RunAsync("chown", [SuperUser + ":" + SuperUser, _root], allowFailure: false, asPostgres: false);
        }

        await RunAsync(Path.Combine(_binDirectory, "initdb"), ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--no-sync"], allowFailure: false);
        _port = FreePort();
        var options = $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=100";
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-o", options, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start"], allowFailure: false);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] arguments, bool allowFailure, bool asPostgres = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asPostgres && Environment.UserName == "root")
        {
            start.FileName = "runuser";
            foreach (var argument in (string[])["-u", SuperUser, "--", program, .. arguments])
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"`{program}` did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !allowFailure)
        {
            throw new InvalidOperationException($"`{Path.GetFileName(program)}` exited with {process.ExitCode}: {(await error).Trim()} {(await output).Trim()}");
        }
    }
}
