namespace Concordat.Testing;

/// <summary>
/// A clock that stands still until a test moves it: <see cref="Advance"/> and <see cref="SetUtcNow"/>.
/// Timers are not supported (nothing under test schedules work on the clock).
/// </summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    /// <summary>Initializes a clock at 2026-06-01T12:00:00Z.</summary>
    public FakeTimeProvider()
        : this(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_lock)
        {
            _now += delta;
        }
    }

    /// <summary>Sets the clock; it may not go back.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_lock)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, _now);
            _now = value;
        }
    }
}
