namespace Concordat.Incidents.Detection;

/// <summary>
/// A learned hourly count: an EWMA per hour of the day on weekdays and on weekends (48 slots: the seasonality of a
/// week that one week of traffic can learn), and an EWMA over the hours with traffic.
/// </summary>
/// <remarks>
/// Invariant: fixed size (49 numbers), whatever the length of the log.
/// </remarks>
internal sealed class HourlyBaseline
{
    /// <summary>The weight of the newest hour in a slot's EWMA (a slot is seen once a day).</summary>
    public const float SlotAlpha = 0.3f;

    /// <summary>The weight of the newest active hour in the EWMA over active hours.</summary>
    public const float ActiveAlpha = 0.1f;

    private readonly float[] _slots = new float[48];
    private float _active;

    /// <summary>Gets the count expected in an hour of <paramref name="slot"/>: the larger of the slot's EWMA and the active hours' EWMA.</summary>
    public double Expected(int slot) => Math.Max(_slots[slot], _active);

    /// <summary>Learns the count of a closed hour.</summary>
    public void Learn(int slot, double count, bool isActive)
    {
        _slots[slot] += SlotAlpha * ((float)count - _slots[slot]);
        if (isActive)
        {
            _active += ActiveAlpha * ((float)count - _active);
        }
    }
}
