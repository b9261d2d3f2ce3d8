namespace Concordat.Agreements.Conditions;

/// <summary>The kinds of values a condition compares.</summary>
internal enum ValueKind
{
    Boolean,
    Integer,
    String,
    Instant,
    Jurisdiction,
    Ordered,
    Action,
    Role,
    Purpose,
    Party,
    StringSet,
    JurisdictionSet,

    /// <summary>A set literal of another kind (actions, levels, purposes): its element type says which.</summary>
    Set,
}
