namespace Concordat.Data.Datasets;

/// <summary>
/// The stable codes of import diagnostics; see docs/errors.md (GW62xx).
/// </summary>
internal static class DatasetErrorCodes
{
    /// <summary>A dataset id is not of the form <c>^[a-z0-9][a-z0-9._-]{0,63}$</c>.</summary>
    public const string InvalidDatasetId = "GW6201";

    /// <summary>A source holds bytes that are not UTF-8.</summary>
    public const string InvalidEncoding = "GW6202";

    /// <summary>A CSV source breaks RFC 4180 (stray quote, unclosed quote, text after a closing quote, record too long).</summary>
    public const string CsvSyntax = "GW6203";

    /// <summary>A CSV record has a different number of fields than the header.</summary>
    public const string RaggedRow = "GW6204";

    /// <summary>A value does not fit its field's type.</summary>
    public const string TypeMismatch = "GW6205";

    /// <summary>A source has a column (CSV header name or NDJSON key) the schema lacks.</summary>
    public const string UnknownColumn = "GW6206";

    /// <summary>A source lacks a column the schema has.</summary>
    public const string MissingColumn = "GW6207";

    /// <summary>A source names a column twice.</summary>
    public const string DuplicateColumn = "GW6208";

    /// <summary>An NDJSON line is not one JSON object, or is too long.</summary>
    public const string NdjsonSyntax = "GW6209";

    /// <summary>A CSV source has no header record.</summary>
    public const string MissingHeader = "GW6210";

    /// <summary>The import stopped after too many errors.</summary>
    public const string TooManyErrors = "GW6211";

    /// <summary>An import was given no source files.</summary>
    public const string NoSources = "GW6212";

    /// <summary>The dataset definition names a field twice.</summary>
    public const string DuplicateSchemaField = "GW6213";
}
