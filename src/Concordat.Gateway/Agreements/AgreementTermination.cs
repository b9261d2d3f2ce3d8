using Concordat.Agreements;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// Enforces a termination: the agreement as the index compiles it, with its effective window and every grant's window
/// ending when the termination takes effect, so every request from then on is denied (<c>outside-window</c>) and every
/// request before it is decided as before.
/// </summary>
/// <remarks>The digest is not recomputed: decisions keep naming the agreement as signed.</remarks>
internal static class AgreementTermination
{
    /// <summary>Ends <paramref name="agreement"/>'s windows at <paramref name="end"/> (no later than they end already).</summary>
    public static Agreement EndAt(Agreement agreement, DateTimeOffset end) => agreement with
    {
        Effective = EndAt(agreement.Effective, end),
        Grants = [.. agreement.Grants.Select(g => g.Window is { } window ? g with { Window = EndAt(window, end) } : g)],
    };

    private static TimeWindow EndAt(TimeWindow window, DateTimeOffset end)
    {
        var until = window.Until is { } current && current < end ? current : end;
        return window with { Until = until < window.From ? window.From : until };
    }
}
