namespace Concordat.Agreements;

/// <summary>
/// A jurisdiction code: an ISO 3166-1 alpha-2 country code (<c>GB</c>, <c>DE</c>) or a group such as <c>EU</c> or <c>EEA</c>.
/// </summary>
/// <param name="Value">The id as written in the agreement.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public readonly record struct Jurisdiction(string Value)
{
    /// <summary>
    /// Expands groups such as <c>EU</c> and <c>EEA</c> into their member countries, keeping every code as listed,
    /// so a row rule written with a group admits rows resident in any member.
    /// </summary>
    /// <param name="listed">The jurisdictions as written in the agreement.</param>
    /// <returns>The listed codes, the members of listed groups, and every group all of whose members are covered.</returns>
    public static IReadOnlyCollection<Jurisdiction> ExpandGroups(IEnumerable<Jurisdiction> listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        return [.. Decisions.JurisdictionGroups.ExpandMembers(listed.Select(j => j.Value)).Order(StringComparer.Ordinal).Select(code => new Jurisdiction(code))];
    }

    /// <summary>Returns the id as written.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
