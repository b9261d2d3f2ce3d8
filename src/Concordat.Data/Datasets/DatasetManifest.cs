using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Data.Datasets;

/// <summary>
/// What an imported dataset version holds: its rows' digest and count, its schema and the source files it came from.
/// </summary>
/// <remarks>
/// Stored as <c>manifest.json</c> next to <c>rows.ndjson</c> in RFC 8785 canonical form (keys sorted, no whitespace),
/// so its SHA-256 is stable. See docs/formats/datasets.md.
/// </remarks>
/// <param name="DatasetId">The dataset.</param>
/// <param name="Version">The version.</param>
/// <param name="ImportedAt">When the import finished (UTC).</param>
/// <param name="RowCount">The number of rows.</param>
/// <param name="RowsSha256">The SHA-256 of <c>rows.ndjson</c>.</param>
/// <param name="Schema">The fields, in the order of the values in each stored row.</param>
/// <param name="Sources">The source files, in import order.</param>
// CAUTION: persisted/public format; see docs/formats/datasets.md
public sealed record DatasetManifest(
    DatasetId DatasetId,
    DatasetVersion Version,
    DateTimeOffset ImportedAt,
    long RowCount,
    Sha256Digest RowsSha256,
    IReadOnlyList<DatasetSchemaField> Schema,
    IReadOnlyList<DatasetSourceRecord> Sources)
{
    /// <summary>Gets the digest of the manifest this one replaced when a data subject was erased from the version; null for an imported version.</summary>
    /// <remarks>Written only when set, so the manifests of versions never erased keep their bytes and digests.</remarks>
    public Sha256Digest? PreviousManifest { get; init; }

    /// <summary>Gets when a data subject was erased from the version (UTC); null for an imported version.</summary>
    public DateTimeOffset? ErasedAt { get; init; }

    /// <summary>The manifest format version written in <c>formatVersion</c>.</summary>
    internal const int FormatVersion = 1;

    /// <summary>
    /// Tells whether this version was imported under the schema <paramref name="definition"/> declares now: the same
    /// fields, with the same types, in the same order. Rows of a version that does not match cannot be served.
    /// </summary>
    /// <param name="definition">The dataset as an agreement declares it.</param>
    /// <returns><see langword="true"/> when the schemas are the same.</returns>
    public bool MatchesSchemaOf(DatasetDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Fields.Select(f => new DatasetSchemaField(f.Name, f.Type)).SequenceEqual(Schema);
    }

    /// <summary>Returns the SHA-256 of the manifest's canonical JSON: the digest log entries and receipts name it by.</summary>
    /// <returns>The digest.</returns>
    public Sha256Digest ComputeDigest() => Sha256Digest.Compute(ToCanonicalJson());

    /// <summary>Returns the manifest's canonical JSON bytes (RFC 8785).</summary>
    public byte[] ToCanonicalJson()
    {
        var json = new JsonObject
        {
            ["datasetId"] = DatasetId.Value,
            ["formatVersion"] = FormatVersion,
            ["importedAt"] = Rfc3339.Format(ImportedAt),
            ["rowCount"] = RowCount,
            ["rowsSha256"] = RowsSha256.ToString(),
            ["schema"] = new JsonArray([.. Schema.Select(f => new JsonObject { ["name"] = f.Name.Value, ["type"] = TypeName(f.Type) })]),
            ["sources"] = new JsonArray([.. Sources.Select(s => new JsonObject
            {
                ["name"] = s.Name,
                ["format"] = FormatName(s.Format),
                ["sha256"] = s.Sha256.ToString(),
                ["bytes"] = s.Bytes,
                ["rows"] = s.Rows,
            })]),
            ["version"] = Version.Number,
        };

        // Invariant: the erasure members appear only on an erased version, so every other manifest's digest is unchanged.
        if (PreviousManifest is { } previous)
        {
            json["previousManifest"] = previous.ToString();
        }

        if (ErasedAt is { } erasedAt)
        {
            json["erasedAt"] = Rfc3339.Format(erasedAt);
        }

        return CanonicalJson.Canonicalize(json);
    }

    /// <summary>Reads a manifest written by <see cref="ToCanonicalJson"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed manifest.</exception>
    internal static DatasetManifest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.GetProperty("formatVersion").GetInt32() != FormatVersion)
            {
                throw new InvalidDataException("the dataset manifest has an unknown format version");
            }

            var schema = root.GetProperty("schema").EnumerateArray()
                .Select(f => new DatasetSchemaField(new FieldName(f.GetProperty("name").GetString()!), ParseTypeName(f.GetProperty("type").GetString())))
                .ToArray();
            var sources = root.GetProperty("sources").EnumerateArray()
                .Select(s => new DatasetSourceRecord(
                    s.GetProperty("name").GetString()!,
                    ParseFormatName(s.GetProperty("format").GetString()),
                    Sha256Digest.Parse(s.GetProperty("sha256").GetString()!),
                    s.GetProperty("bytes").GetInt64(),
                    s.GetProperty("rows").GetInt64()))
                .ToArray();
            return new DatasetManifest(
                new DatasetId(root.GetProperty("datasetId").GetString()!),
                new DatasetVersion(root.GetProperty("version").GetInt32()),
                DateTimeOffset.Parse(root.GetProperty("importedAt").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                root.GetProperty("rowCount").GetInt64(),
                Sha256Digest.Parse(root.GetProperty("rowsSha256").GetString()!),
                schema,
                sources)
            {
                PreviousManifest = root.TryGetProperty("previousManifest", out var previous) ? Sha256Digest.Parse(previous.GetString()!) : null,
                ErasedAt = root.TryGetProperty("erasedAt", out var erasedAt)
                    ? DateTimeOffset.Parse(erasedAt.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                    : null,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidDataException("the dataset manifest is not well formed", e);
        }
    }

    /// <summary>The name a field type has in manifests.</summary>
    internal static string TypeName(FieldType type) => type switch
    {
        FieldType.String => "string",
        FieldType.Integer => "integer",
        FieldType.Decimal => "decimal",
        FieldType.Boolean => "boolean",
        FieldType.Date => "date",
        FieldType.DateTime => "dateTime",
        FieldType.Postcode => "postcode",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown field type"),
    };

    private static FieldType ParseTypeName(string? name) => name switch
    {
        "string" => FieldType.String,
        "integer" => FieldType.Integer,
        "decimal" => FieldType.Decimal,
        "boolean" => FieldType.Boolean,
        "date" => FieldType.Date,
        "dateTime" => FieldType.DateTime,
        "postcode" => FieldType.Postcode,
        _ => throw new InvalidDataException($"the dataset manifest names an unknown field type `{name}`"),
    };

    private static string FormatName(RowFormat format) => format == RowFormat.Csv ? "csv" : "ndjson";

    private static RowFormat ParseFormatName(string? name) => name switch
    {
        "csv" => RowFormat.Csv,
        "ndjson" => RowFormat.Ndjson,
        _ => throw new InvalidDataException($"the dataset manifest names an unknown format `{name}`"),
    };
}
