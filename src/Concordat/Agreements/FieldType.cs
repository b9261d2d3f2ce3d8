using System.Diagnostics.CodeAnalysis;

namespace Concordat.Agreements;

/// <summary>
/// The type of a dataset field.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are the agreement format's field type names")]
public enum FieldType
{
    /// <summary>Text.</summary>
    String,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A decimal number.</summary>
    Decimal,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A calendar date (RFC 3339 full-date).</summary>
    Date,

    /// <summary>An RFC 3339 date-time.</summary>
    DateTime,

    /// <summary>A postal code.</summary>
    Postcode,
}
