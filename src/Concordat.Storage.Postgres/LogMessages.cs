using Microsoft.Extensions.Logging;

namespace Concordat.Storage.Postgres;

/// <summary>
/// Every log message of the PostgreSQL engine, declared once with a stable event id.
/// </summary>
/// <remarks>
/// <para>The ids are those the gateway gave these messages before the feed moved here (6015, 6016, 6018), so that
/// operators' alerts keep working; the gateway does not reuse them.</para>
/// <para>Security: no message takes a secret, a connection string or a payload as a parameter; counts and names only.</para>
/// <para>Declared with <see cref="LoggerMessage.Define{T1}(LogLevel, EventId, string)"/>: the logging source generator
/// does not reach this project through Npgsql's dependency on the logging abstractions.</para>
/// </remarks>
internal static class LogMessages
{
    public static readonly Action<ILogger, string, Exception?> RevocationFeedListening = LoggerMessage.Define<string>(
        LogLevel.Information,
        new EventId(6015, nameof(RevocationFeedListening)),
        "listening for revocations of other replicas on PostgreSQL channel {Channel}");

    public static readonly Action<ILogger, long, Exception?> RevocationFeedLost = LoggerMessage.Define<long>(
        LogLevel.Warning,
        new EventId(6016, nameof(RevocationFeedLost)),
        "revocation feed lost its connection; connecting again in {Milliseconds} ms");

    public static readonly Action<ILogger, int, Exception?> RevocationNoticeIgnored = LoggerMessage.Define<int>(
        LogLevel.Warning,
        new EventId(6018, nameof(RevocationNoticeIgnored)),
        "revocation notice of {Length} character(s) not understood by this version; ignored (the store is still checked on every request)");
}
