namespace Concordat.Data.Datasets;

/// <summary>The formats rows leave in.</summary>
public enum RowFormat
{
    /// <summary>RFC 4180 CSV with a header row, <c>text/csv</c>.</summary>
    Csv,

    /// <summary>One JSON object per line, <c>application/x-ndjson</c>.</summary>
    Ndjson,
}
