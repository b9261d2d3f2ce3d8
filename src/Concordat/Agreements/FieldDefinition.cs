namespace Concordat.Agreements;

/// <summary>
/// A field (column) of a dataset.
/// </summary>
/// <param name="Name">The field name.</param>
/// <param name="Type">The field type.</param>
/// <param name="Classification">How identifying or sensitive the field is.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public sealed record FieldDefinition(FieldName Name, FieldType Type, FieldClassification Classification);
