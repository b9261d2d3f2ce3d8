using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Gateway.Datasets;

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
internal sealed record DatasetManifest(
    DatasetId DatasetId,
    DatasetVersion Version,
    DateTimeOffset ImportedAt,
    long RowCount,
    Sha256Digest RowsSha256,
    IReadOnlyList<DatasetSchemaField> Schema,
    IReadOnlyList<DatasetSourceRecord> Sources)
{
    /// <summary>The manifest format version written in <c>formatVersion</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>Returns the manifest's canonical JSON bytes (RFC 8785).</summary>
    public byte[] ToCanonicalJson()
    {
        var output = new ArrayBufferWriter<byte>(1024);

        // Spec: RFC 8785 §3.2.3: members sorted by their names' UTF-16 code units; every name here is ASCII and written in that order.
        Raw(output, "{\"datasetId\":");
        Text(output, DatasetId.Value);
        Raw(output, ",\"formatVersion\":");
        Number(output, FormatVersion);
        Raw(output, ",\"importedAt\":");
        Text(output, FormatTime(ImportedAt));
        Raw(output, ",\"rowCount\":");
        Number(output, RowCount);
        Raw(output, ",\"rowsSha256\":");
        Text(output, RowsSha256.ToString());
        Raw(output, ",\"schema\":[");
        for (var i = 0; i < Schema.Count; i++)
        {
            Raw(output, i == 0 ? "{\"name\":" : ",{\"name\":");
            Text(output, Schema[i].Name.Value);
            Raw(output, ",\"type\":");
            Text(output, TypeName(Schema[i].Type));
            Raw(output, "}");
        }

        Raw(output, "],\"sources\":[");
        for (var i = 0; i < Sources.Count; i++)
        {
            var source = Sources[i];
            Raw(output, i == 0 ? "{\"bytes\":" : ",{\"bytes\":");
            Number(output, source.Bytes);
            Raw(output, ",\"format\":");
            Text(output, FormatName(source.Format));
            Raw(output, ",\"name\":");
            Text(output, source.Name);
            Raw(output, ",\"rows\":");
            Number(output, source.Rows);
            Raw(output, ",\"sha256\":");
            Text(output, source.Sha256.ToString());
            Raw(output, "}");
        }

        Raw(output, "],\"version\":");
        Number(output, Version.Number);
        Raw(output, "}");
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Reads a manifest written by <see cref="ToCanonicalJson"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed manifest.</exception>
    public static DatasetManifest Parse(ReadOnlySpan<byte> json)
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
                sources);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or NullReferenceException)
        {
            throw new InvalidDataException("the dataset manifest is not well formed", e);
        }
    }

    /// <summary>The name a field type has in manifests.</summary>
    public static string TypeName(FieldType type) => type switch
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

    private static string FormatName(DatasetFormat format) => format == DatasetFormat.Csv ? "csv" : "ndjson";

    private static DatasetFormat ParseFormatName(string? name) => name switch
    {
        "csv" => DatasetFormat.Csv,
        "ndjson" => DatasetFormat.Ndjson,
        _ => throw new InvalidDataException($"the dataset manifest names an unknown format `{name}`"),
    };

    // Spec: RFC 3339 §5.6 in UTC, fraction only when non-zero.
    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static void Raw(ArrayBufferWriter<byte> output, string ascii)
    {
        var written = Encoding.ASCII.GetBytes(ascii, output.GetSpan(ascii.Length));
        output.Advance(written);
    }

    private static void Number(ArrayBufferWriter<byte> output, long value) => Raw(output, value.ToString(CultureInfo.InvariantCulture));

    // Spec: RFC 8785 §3.2.2.2: strings escape exactly as JsonText does (short forms, else \u00xx in lowercase hex).
    private static void Text(ArrayBufferWriter<byte> output, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var written = JsonText.WriteString(utf8, output.GetSpan(JsonText.MaxStringLength(utf8.Length)));
        output.Advance(written);
    }
}
