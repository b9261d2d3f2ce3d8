using Concordat.Agreements;

namespace Concordat.Compliance;

/// <summary>One regime's checklist: when it applies and the items it asks for.</summary>
/// <param name="Regime">The regime's id, such as <c>gdpr</c>.</param>
/// <param name="Title">The regime's name.</param>
/// <param name="Version">The checklist's version, raised whenever an item changes.</param>
/// <param name="Jurisdictions">The jurisdictions it applies in; empty for any.</param>
/// <param name="Sectors">The sectors it applies to; empty for any.</param>
/// <param name="Items">The items, in the file's order.</param>
// CAUTION: persisted/public format; see docs/formats/compliance-checklist.md
public sealed record ComplianceChecklist(string Regime, string Title, int Version, IReadOnlyList<Jurisdiction> Jurisdictions, IReadOnlyList<string> Sectors, IReadOnlyList<ComplianceItem> Items)
{
    /// <summary>Whether the regime applies to an agreement with this compliance scope.</summary>
    /// <param name="scope">The agreement's <c>compliance</c>; <see langword="null"/> when it declares none.</param>
    /// <returns>
    /// <see langword="true"/> when the scope names a jurisdiction the checklist lists (groups such as <c>EU</c> expanded
    /// on both sides, so <c>DE</c> meets <c>EU</c>) and a sector it lists; a list the checklist leaves empty matches any.
    /// </returns>
    /// <remarks>An agreement that declares no scope matches no regime: applicability is what the parties signed.</remarks>
    public bool AppliesTo(ComplianceScope? scope)
    {
        if (scope is null)
        {
            return false;
        }

        var jurisdictionMatch = Jurisdictions.Count == 0
            || Jurisdiction.ExpandGroups(Jurisdictions).Intersect(Jurisdiction.ExpandGroups(scope.Jurisdictions)).Any();
        var sectorMatch = Sectors.Count == 0
            || Sectors.Intersect(scope.Sectors, StringComparer.OrdinalIgnoreCase).Any();
        return jurisdictionMatch && sectorMatch;
    }
}
