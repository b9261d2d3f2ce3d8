using Concordat.Storage.Postgres.Registry;
using Concordat.Store.Revocation;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Concordat.Storage.Postgres.Revocation;

/// <summary>
/// The feed on PostgreSQL: one long-lived connection that <c>LISTEN</c>s on <see cref="RevocationPayload.Channel"/>,
/// where <see cref="PostgresRegistryStore"/> announces every seal, unseal and token revocation at commit. A lost
/// connection is opened again after a pause that doubles up to <see cref="MaxRetryDelay"/>.
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

    private const string ListenSql = "LISTEN " + RevocationPayload.Channel;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a feed over the database of <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The data source, shared with the registry and the log; the caller keeps ownership.</param>
    /// <param name="time">The clock of the pauses between connections.</param>
    /// <param name="logger">Where the feed reports that it listens, lost its connection, or ignored a notice.</param>
    public PostgresRevocationFeed(NpgsqlDataSource dataSource, TimeProvider time, ILogger<PostgresRevocationFeed> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public async Task ListenAsync(Func<CancellationToken, Task> resync, Action<RevocationNotice> onNotice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resync);
        ArgumentNullException.ThrowIfNull(onNotice);
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
                LogMessages.RevocationFeedLost(_logger, (long)delay.TotalMilliseconds, ex);
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
        await using var connection = CreateOwnConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        connection.Notification += (_, e) =>
        {
            if (RevocationPayload.TryParse(e.Payload, out var notice))
            {
                onNotice(notice);
            }
            else
            {
                LogMessages.RevocationNoticeIgnored(_logger, e.Payload.Length, null);
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
        LogMessages.RevocationFeedListening(_logger, RevocationPayload.Channel, null);
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

    private NpgsqlConnection CreateOwnConnection()
    {
        // Invariant: a connection of its own, never pooled: LISTEN is session state, and a pooled connection would
        // carry it to whoever used the connection next. Cloned from the shared data source, it keeps the data
        // source's server, credentials and certificate settings.
        using var template = _dataSource.CreateConnection();
        var own = new NpgsqlConnectionStringBuilder(template.ConnectionString) { ApplicationName = ApplicationName, Pooling = false };
        return template.CloneWith(own.ConnectionString);
    }
}
