using System.Diagnostics.CodeAnalysis;

namespace Concordat.Agreements;

/// <summary>
/// The type of a custom attribute.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum AttributeType
{
    /// <summary>A string.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The kebab-case name is the type's spelling in agreements")]
    String,

    /// <summary>An integer.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The kebab-case name is the type's spelling in agreements")]
    Integer,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>An RFC 3339 UTC instant.</summary>
    Instant,

    /// <summary>A jurisdiction code.</summary>
    Jurisdiction,

    /// <summary>One of the declaration's levels, ordered as listed (lowest first).</summary>
    Ordered,

    /// <summary>A set of strings.</summary>
    StringSet,

    /// <summary>A set of jurisdiction codes.</summary>
    JurisdictionSet,
}
