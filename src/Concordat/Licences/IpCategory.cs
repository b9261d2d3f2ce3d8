namespace Concordat.Licences;

/// <summary>
/// Where an artifact's intellectual property comes from.
/// </summary>
// CAUTION: public format (recorded in attestations); see docs/design/licences.md
public enum IpCategory
{
    /// <summary>Brought to the engagement by a party; it stays with that party.</summary>
    Background,

    /// <summary>Created under the agreement; owned as the agreement's foreground terms say.</summary>
    Foreground,

    /// <summary>Owned outside the agreement and used under its own licence.</summary>
    ThirdParty,
}
