namespace Concordat.Storage.Sqlite.Registry;

/// <summary>
/// Instants as stored: microseconds since the Unix epoch, UTC, the precision PostgreSQL keeps too.
/// </summary>
internal static class Time
{
    public static long ToMicros(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static long? ToMicros(DateTimeOffset? instant) => instant is { } value ? ToMicros(value) : null;

    public static DateTimeOffset FromMicros(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);
}
