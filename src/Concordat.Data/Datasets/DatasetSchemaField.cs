using Concordat.Agreements;

namespace Concordat.Data.Datasets;

/// <summary>
/// One field of a stored dataset version, in the order of the stored rows.
/// </summary>
/// <param name="Name">The field name.</param>
/// <param name="Type">The field type.</param>
// CAUTION: persisted/public format; see docs/formats/datasets.md
public sealed record DatasetSchemaField(FieldName Name, FieldType Type);
