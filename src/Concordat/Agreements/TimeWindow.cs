namespace Concordat.Agreements;

/// <summary>
/// A window of time, inclusive of its start and exclusive of its end.
/// </summary>
/// <param name="From">The first instant inside the window.</param>
/// <param name="Until">The first instant after the window, or none when open-ended.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record TimeWindow(DateTimeOffset From, DateTimeOffset? Until)
{
    /// <summary>Tells whether <paramref name="instant"/> lies inside the window.</summary>
    /// <param name="instant">The instant to test.</param>
    /// <returns><see langword="true"/> when From &lt;= instant &lt; Until.</returns>
    public bool Contains(DateTimeOffset instant) => instant >= From && (Until is null || instant < Until.Value);
}
