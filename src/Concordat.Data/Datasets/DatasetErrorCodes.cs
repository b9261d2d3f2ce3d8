using Concordat.Core;

namespace Concordat.Data.Datasets;

/// <summary>
/// The stable codes of import diagnostics (GW620x, GW621x), each with its title, meaning and fix; docs/errors.md
/// shows the same words.
/// </summary>
// CAUTION: persisted/public format; codes are stable forever; see docs/errors.md
public static class DatasetErrorCodes
{
    #region GW62xx import codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    public static readonly ErrorCode InvalidDatasetId = new("GW6201", "invalid dataset id", "the dataset id is not of the form `^[a-z0-9][a-z0-9._-]{0,63}$`", "use lowercase letters, digits, `.`, `_`, `-`");
    public static readonly ErrorCode InvalidEncoding = new("GW6202", "not UTF-8", "a source holds bytes that are not UTF-8", "save the file as UTF-8");
    public static readonly ErrorCode CsvSyntax = new("GW6203", "not RFC 4180 CSV", "a CSV source breaks RFC 4180: a quote inside an unquoted field, text after a closing quote, a quote open at the end, a record over 1 MiB", "quote whole fields and double inner quotes");
    public static readonly ErrorCode RaggedRow = new("GW6204", "ragged record", "a CSV record has more or fewer fields than the header", "give every record as many fields as the header");
    public static readonly ErrorCode TypeMismatch = new("GW6205", "value does not fit its type", "a value does not fit its field's type", "fix the value, or the field's type in the agreement");
    public static readonly ErrorCode UnknownColumn = new("GW6206", "unknown column", "a CSV column or NDJSON key the dataset's schema lacks", "remove it, or declare the field in the agreement");
    public static readonly ErrorCode MissingColumn = new("GW6207", "missing column", "a field of the schema is missing (CSV header or NDJSON object)", "add it; NDJSON uses `null` for no value");
    public static readonly ErrorCode DuplicateColumn = new("GW6208", "duplicate column", "a column or key appears twice", "name each field once");
    public static readonly ErrorCode NdjsonSyntax = new("GW6209", "not NDJSON", "an NDJSON line is not one JSON object, or is over 1 MiB", "write one JSON object per line");
    public static readonly ErrorCode MissingHeader = new("GW6210", "no header", "a CSV source has no header record", "start the file with the field names");
    public static readonly ErrorCode TooManyErrors = new("GW6211", "too many errors", "the import stopped after 100 errors", "fix the reported ones and import again");
    public static readonly ErrorCode NoSources = new("GW6212", "no source", "an import was given no source file", "send a file");
    public static readonly ErrorCode DuplicateSchemaField = new("GW6213", "field defined twice", "the dataset definition names a field twice", "fix the agreement");
    public static readonly ErrorCode DimensionNotOneValuePerKey = new("GW6214", "several values for one key", "a column a recipient keeps as a dimension of its own table has two different values for one key, so a joined row would have no one group", "give each key one value of the column, or leave the column out of `dimensions`");
#pragma warning restore CS1591
    #endregion
}
