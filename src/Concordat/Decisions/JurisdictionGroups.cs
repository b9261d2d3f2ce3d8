namespace Concordat.Decisions;

/// <summary>
/// Jurisdiction groups an agreement may name instead of countries, and their ISO 3166-1 alpha-2 members.
/// </summary>
internal static class JurisdictionGroups
{
    #region Spec-shaped table: membership as of 2026
    private static readonly string[] s_eu =
    [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ];

    private static readonly Dictionary<string, string[]> s_groups = new(StringComparer.Ordinal)
    {
        ["EU"] = s_eu,
        ["EEA"] = [.. s_eu, "IS", "LI", "NO"],
    };
    #endregion

    /// <summary>Gets the group names.</summary>
    public static IEnumerable<string> Groups => s_groups.Keys;

    /// <summary>Gets the members of <paramref name="group"/>, or nothing when it is not a group.</summary>
    public static IReadOnlyList<string> Members(string group) => s_groups.TryGetValue(group, out var members) ? members : [];

    /// <summary>
    /// The codes a permission of <paramref name="listed"/> covers: the codes, the members of listed groups, and
    /// every group all of whose members are covered.
    /// </summary>
    public static HashSet<string> ExpandMembers(IEnumerable<string> listed)
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in listed)
        {
            covered.Add(code);
            covered.UnionWith(Members(code));
        }

        foreach (var (group, members) in s_groups)
        {
            if (members.All(covered.Contains))
            {
                covered.Add(group);
            }
        }

        return covered;
    }

    /// <summary>
    /// The codes a prohibition of <paramref name="listed"/> forbids: the codes, the members of listed groups, and
    /// every group that has a forbidden member (processing "somewhere in the group" might happen there).
    /// </summary>
    public static HashSet<string> ExpandOverlapping(IEnumerable<string> listed)
    {
        var forbidden = ExpandMembers(listed);
        foreach (var (group, members) in s_groups)
        {
            if (members.Any(forbidden.Contains))
            {
                forbidden.Add(group);
            }
        }

        return forbidden;
    }

    /// <summary>
    /// The shortest ordinal-sorted list that covers the same codes as <paramref name="covered"/>: a code is left
    /// out when another group in the set covers it.
    /// </summary>
    public static IEnumerable<string> Reduce(HashSet<string> covered) =>
        covered
            .Where(code => !covered.Any(group => group != code && s_groups.ContainsKey(group) && ExpandMembers([group]).Contains(code)))
            .Order(StringComparer.Ordinal);
}
