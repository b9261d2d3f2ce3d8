namespace Concordat.Data.Datasets;

/// <summary>
/// What a value in a source file is, before it is checked against its field's type.
/// </summary>
internal enum SourceValueKind
{
    /// <summary>No value: an empty CSV field of a non-text type, or JSON <c>null</c>.</summary>
    Null,

    /// <summary>A CSV field: text that may spell a value of any type.</summary>
    Text,

    /// <summary>A JSON string: a value of a text type (string, date, date-time, postcode) only.</summary>
    JsonString,

    /// <summary>A JSON number.</summary>
    Number,

    /// <summary>JSON <c>true</c> or <c>false</c>.</summary>
    Boolean,
}
