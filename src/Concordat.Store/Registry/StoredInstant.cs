namespace Concordat.Store.Registry;

/// <summary>
/// Instants as the registry stores them on every engine: microseconds since the Unix epoch, UTC, the precision
/// PostgreSQL keeps too.
/// </summary>
/// <remarks>An engine MUST store every instant of a record in this form, so that <see cref="RegistryRows"/> reads it back.</remarks>
// CAUTION: persisted format: every stored instant of every existing registry is in this form.
public static class StoredInstant
{
    /// <summary>Converts an instant to stored microseconds; anything below a microsecond is dropped.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>Microseconds since the Unix epoch.</returns>
    public static long ToMicros(DateTimeOffset instant) => (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>Converts an instant, when there is one, to stored microseconds.</summary>
    /// <param name="instant">The instant, or null.</param>
    /// <returns>Microseconds since the Unix epoch, or null.</returns>
    public static long? ToMicros(DateTimeOffset? instant) => instant is { } value ? ToMicros(value) : null;

    /// <summary>Converts stored microseconds to an instant in UTC.</summary>
    /// <param name="micros">Microseconds since the Unix epoch.</param>
    /// <returns>The instant, with a zero offset.</returns>
    public static DateTimeOffset FromMicros(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);
}
