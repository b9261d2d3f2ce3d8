namespace Concordat.Incidents.Sharing;

/// <summary>
/// A Traffic Light Protocol 2.0 level: who a shared bundle may reach. Each level is one STIX 2.1 marking definition of
/// the OASIS TLP 2.0 extension (<see cref="StixExport"/>).
/// </summary>
// CAUTION: persisted/public format; see docs/formats/stix.md
public enum TlpLevel
{
    /// <summary><c>TLP:CLEAR</c>: no limit on disclosure.</summary>
    Clear,

    /// <summary><c>TLP:GREEN</c>: the community, not public channels.</summary>
    Green,

    /// <summary><c>TLP:AMBER</c>: the recipient's organisation and its clients, on a need-to-know basis.</summary>
    Amber,

    /// <summary><c>TLP:AMBER+STRICT</c>: the recipient's organisation only.</summary>
    AmberStrict,

    /// <summary><c>TLP:RED</c>: the named recipients only.</summary>
    Red,
}
