using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Concordat.Testing.Peers;

/// <summary>
/// What an independent reader read from a Parquet file: hyparquet (tests/node/parquet-read.mjs) or DuckDB
/// (tests/node/duckdb-read.mjs); its columns, its rows, and the HTTP requests made for it.
/// </summary>
/// <param name="Columns">The columns with their physical and logical types.</param>
/// <param name="Rows">The rows: dates as <c>YYYY-MM-DD</c>, timestamps as ISO 8601 instants, 64-bit integers as decimal text.</param>
/// <param name="Requests">For a file read through a URL, each request as method, <c>Range</c> header and status.</param>
public sealed record ParquetRead(IReadOnlyList<ParquetColumn> Columns, IReadOnlyList<JsonElement[]> Rows, IReadOnlyList<ParquetRequest> Requests)
{
    /// <summary>Reads the script's answer.</summary>
    public static ParquetRead Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        return new ParquetRead(
            [.. root.GetProperty("columns").EnumerateArray().Select(c => new ParquetColumn(c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!, c.GetProperty("logicalType").ValueKind == JsonValueKind.String ? c.GetProperty("logicalType").GetString() : null))],
            [.. root.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToArray())],
            [.. root.GetProperty("requests").EnumerateArray().Select(r => new ParquetRequest(r.GetProperty("method").GetString()!, r.GetProperty("range").ValueKind == JsonValueKind.String ? r.GetProperty("range").GetString() : null, r.GetProperty("status").GetInt32()))]);
    }

    /// <summary>Reads a local file with hyparquet.</summary>
    public static ParquetRead HyparquetFile(string path) =>
        Parse(NodePeer.Run("parquet-read.mjs", JsonSerializer.Serialize(new { path }), TimeSpan.FromSeconds(60)));

    /// <summary>Reads a file through a URL with hyparquet, as a connector does (HEAD, then range requests).</summary>
    public static ParquetRead HyparquetUrl(Uri url) =>
        Parse(NodePeer.Run("parquet-read.mjs", JsonSerializer.Serialize(new { url = url.ToString() }), TimeSpan.FromSeconds(60)));

    /// <summary>
    /// Reads a file through a URL with DuckDB: fetched as a connector fetches it (HEAD, the footer by a range request,
    /// then the rest by range requests), then read by DuckDB's own Parquet reader from the bytes fetched.
    /// </summary>
    /// <remarks>DuckDB reads URLs only through its httpfs extension, which it downloads on first use; these machines reach no
    /// extension repository, so the script fetches the ranges itself.</remarks>
    public static ParquetRead DuckDbUrl(Uri url) =>
        Parse(NodePeer.Run("duckdb-read.mjs", JsonSerializer.Serialize(new { url = url.ToString() }), TimeSpan.FromSeconds(60)));

    /// <summary>Asserts that the rows read are, cell for cell, the rows an NDJSON egress sent (same columns, same order).</summary>
    /// <remarks>Numbers compare by their text, timestamps by the instant they name, everything else as sent.</remarks>
    public void AssertMatches(IReadOnlyList<JsonElement> sentRows)
    {
        Assert.Equal(sentRows.Count, Rows.Count);
        for (var row = 0; row < sentRows.Count; row++)
        {
            var cells = sentRows[row].EnumerateObject().ToArray();
            Assert.Equal(cells.Select(c => c.Name), Columns.Select(c => c.Name));
            for (var column = 0; column < cells.Length; column++)
            {
                AssertSameCell(cells[column].Value, Rows[row][column], Columns[column].LogicalType == "TIMESTAMP");
            }
        }
    }

    private static void AssertSameCell(JsonElement sent, JsonElement read, bool isTimestamp)
    {
        switch (sent.ValueKind)
        {
            case JsonValueKind.Null:
                Assert.Equal(JsonValueKind.Null, read.ValueKind);
                break;
            case JsonValueKind.Number:
                Assert.Equal(sent.GetRawText(), read.ValueKind == JsonValueKind.String ? read.GetString() : read.GetRawText());
                break;
            case JsonValueKind.String when isTimestamp:
                Assert.Equal(DateTimeOffset.Parse(sent.GetString()!, CultureInfo.InvariantCulture), DateTimeOffset.Parse(read.GetString()!, CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.String:
                Assert.Equal(sent.GetString(), read.GetString());
                break;
            default:
                Assert.Equal(sent.GetBoolean(), read.GetBoolean());
                break;
        }
    }
}
