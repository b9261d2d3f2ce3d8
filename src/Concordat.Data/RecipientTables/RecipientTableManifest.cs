using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;

namespace Concordat.Data.RecipientTables;

/// <summary>What an upload stored: the table, whose it is, its declared schema, and the digest of its key pseudonyms.</summary>
/// <param name="Table">The table id.</param>
/// <param name="Recipient">The recipient it belongs to.</param>
/// <param name="Dataset">The dataset it joins with (its pseudonym key is that recipient's for this dataset).</param>
/// <param name="Key">The join key field.</param>
/// <param name="KeyType">The join key's type.</param>
/// <param name="Fields">The declared fields (checked at upload; only the key's pseudonyms are kept).</param>
/// <param name="Rows">The rows uploaded.</param>
/// <param name="Keys">The distinct keys kept, as pseudonyms.</param>
/// <param name="KeysDigest">The SHA-256 of the stored pseudonyms file.</param>
/// <param name="UploadedAt">When it was uploaded.</param>
// CAUTION: persisted format; see docs/formats/recipient-tables.md
public sealed record RecipientTableManifest(string Table, PartyId Recipient, DatasetId Dataset, FieldName Key, FieldType KeyType, IReadOnlyList<DatasetSchemaField> Fields, long Rows, int Keys, Sha256Digest KeysDigest, DateTimeOffset UploadedAt)
{
    /// <summary>Gets the columns kept, per key pseudonym, for queries to group by after a join; empty for none.</summary>
    public IReadOnlyList<FieldName> Dimensions { get; init; } = [];

    /// <summary>Returns the manifest as the JSON the store writes.</summary>
    /// <returns>The JSON.</returns>
    public JsonObject ToJson() => new()
    {
        ["format"] = RecipientTableStore.Format,
        ["table"] = Table,
        ["recipient"] = Recipient.Value,
        ["dataset"] = Dataset.Value,
        ["key"] = Key.Value,
        ["keyType"] = AgreementEnumText.ToText(KeyType),
        ["fields"] = new JsonArray([.. Fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name.Value, ["type"] = AgreementEnumText.ToText(f.Type) })]),
        ["rows"] = Rows,
        ["keys"] = Keys,
        ["keysSha256"] = KeysDigest.ToString(),
        ["dimensions"] = new JsonArray([.. Dimensions.Select(d => (JsonNode)JsonValue.Create(d.Value))]),
        ["uploadedAt"] = Rfc3339.Format(UploadedAt),
    };
}
