namespace Concordat.Store.Registry;

/// <summary>
/// The id of a vulnerability or abuse report, such as <c>rep_...</c>: named in the report's log entry and in the
/// reporter's follow-up; never a credential (the follow-up secret is a different random string, kept only as a hash).
/// </summary>
/// <param name="Value">The report id.</param>
// CAUTION: persisted/public format; see docs/api.md
public readonly record struct ReportId(string Value)
{
    /// <summary>Returns the report id.</summary>
    /// <returns>The report id.</returns>
    public override string ToString() => Value;
}
