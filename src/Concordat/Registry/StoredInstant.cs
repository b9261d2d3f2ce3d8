namespace Concordat.Registry;

/// <summary>
/// Instants as the registry stores them on every engine: microseconds since the Unix epoch, UTC, the precision
/// PostgreSQL keeps too.
/// </summary>
internal static class StoredInstant
{
    public static long ToMicros(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static long? ToMicros(DateTimeOffset? instant) => instant is { } value ? ToMicros(value) : null;

    public static DateTimeOffset FromMicros(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);
}
