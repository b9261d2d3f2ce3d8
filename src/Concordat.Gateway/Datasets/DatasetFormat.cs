namespace Concordat.Gateway.Datasets;

/// <summary>
/// The format of a dataset source file.
/// </summary>
internal enum DatasetFormat
{
    /// <summary>RFC 4180 CSV in UTF-8 with a header record naming the fields.</summary>
    Csv,

    /// <summary>Newline-delimited JSON: one object per line, keyed by field name.</summary>
    Ndjson,
}
