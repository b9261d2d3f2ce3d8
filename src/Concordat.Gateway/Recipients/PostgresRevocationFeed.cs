using Concordat.Storage.Postgres.Registry;
using Npgsql;

namespace Concordat.Gateway.Recipients;

/// <summary>
/// The feed on PostgreSQL: one long-lived connection of its own that <c>LISTEN</c>s on
/// <see cref="RevocationNotice.Channel"/>, where <see cref="PostgresRegistryStore"/> announces every seal, unseal and
/// token revocation at commit. A lost connection is opened again after a pause that doubles up to
/// <see cref="MaxRetryDelay"/>.
/// </summary>
internal sealed class PostgresRevocationFeed : IRevocationFeed
{
    /// <summary>The connection's <c>application_name</c>, so that operators can find it in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "concordat-revocations";

    /// <summary>The first pause before opening a lost connection again.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause before opening a lost connection again.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long the connection may stay silent before a round trip checks that it is still alive.</summary>
    public static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    private const string ListenSql = "LISTEN " + RevocationNotice.Channel;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresRevocationFeed> _logger;

    public PostgresRevocationFeed(string connectionString, TimeProvider time, ILogger<PostgresRevocationFeed> logger)
    {
        // Invariant: a connection of its own, never pooled: LISTEN is session state, and a pooled connection would
        // carry it to whoever used the connection next.
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ApplicationName, Pooling = false }.ConnectionString;
        _time = time;
        _logger = logger;
    }

    public async Task ListenAsync(Func<CancellationToken, Task> resync, Action<RevocationNotice> onNotice, CancellationToken cancellationToken)
    {
        var delay = FirstRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ListenOnceAsync(resync, onNotice, () => delay = FirstRetryDelay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Security: the feed must outlive any failure (server restart, network, a bug in a handler), or revocations would stop arriving; it logs and reconnects.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogMessages.RevocationFeedLost(_logger, ex, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
            }
        }
    }

    private async Task ListenOnceAsync(Func<CancellationToken, Task> resync, Action<RevocationNotice> onNotice, Action connected, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        connection.Notification += (_, e) =>
        {
            if (RevocationNotice.TryParse(e.Payload, out var notice))
            {
                onNotice(notice);
            }
            else
            {
                LogMessages.RevocationNoticeIgnored(_logger, e.Payload.Length);
            }
        };
        await using (var listen = new NpgsqlCommand(ListenSql, connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Invariant: listening before the resync: a revocation committed after LISTEN arrives as a notice (queued on
        // this connection until the first wait), and one committed before is found by the resync.
        await resync(cancellationToken).ConfigureAwait(false);
        connected();
        LogMessages.RevocationFeedListening(_logger, RevocationNotice.Channel);
        while (true)
        {
            if (!await connection.WaitAsync(IdleCheck, cancellationToken).ConfigureAwait(false))
            {
                // Security: a connection dropped without a word would silently stop revocations arriving; a round
                // trip proves it alive, or throws and the connection is opened again.
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
