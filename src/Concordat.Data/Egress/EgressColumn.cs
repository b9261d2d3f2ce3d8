using Concordat.Agreements;
using Concordat.Privacy;

namespace Concordat.Data.Egress;

/// <summary>
/// One field as it leaves: where its value comes from and what is done to it.
/// </summary>
/// <param name="SourceIndex">The index of the field in the stored rows.</param>
/// <param name="Name">The field name.</param>
/// <param name="Type">The field type.</param>
/// <param name="Kind">The rule applied (never <see cref="FieldRuleKind.Drop"/>: dropped fields have no column).</param>
/// <param name="MaskKeep">For mask, how many trailing characters stay.</param>
/// <param name="Generalisation">For generalise, how.</param>
/// <param name="CsvName">The name as a CSV header field, quoted when needed.</param>
/// <param name="JsonName">The name as a JSON member prefix: <c>"name":</c>.</param>
internal sealed record EgressColumn(int SourceIndex, FieldName Name, FieldType Type, FieldRuleKind Kind, int MaskKeep, Generalisation Generalisation, byte[] CsvName, byte[] JsonName)
{
    /// <summary>Gets a value indicating whether the value leaves as a bare JSON number or boolean rather than a string.</summary>
    public bool IsJsonLiteral => Kind == FieldRuleKind.Allow && Type is FieldType.Integer or FieldType.Decimal or FieldType.Boolean;
}
