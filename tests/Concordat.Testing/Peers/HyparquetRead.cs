using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Concordat.Testing.Peers;

/// <summary>What hyparquet read from a Parquet file (tests/node/parquet-read.mjs): its columns, its rows, and the HTTP requests made for it.</summary>
/// <param name="Columns">The columns with their physical and logical types.</param>
/// <param name="Rows">The rows: dates as <c>YYYY-MM-DD</c>, timestamps as ISO 8601 instants, 64-bit integers as decimal text.</param>
/// <param name="Requests">For a file read through a URL, each request as method, <c>Range</c> header and status.</param>
public sealed record HyparquetRead(IReadOnlyList<HyparquetColumn> Columns, IReadOnlyList<JsonElement[]> Rows, IReadOnlyList<HyparquetRequest> Requests)
{
    /// <summary>Reads the script's answer.</summary>
    public static HyparquetRead Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        return new HyparquetRead(
            [.. root.GetProperty("columns").EnumerateArray().Select(c => new HyparquetColumn(c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!, c.GetProperty("logicalType").ValueKind == JsonValueKind.String ? c.GetProperty("logicalType").GetString() : null))],
            [.. root.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToArray())],
            [.. root.GetProperty("requests").EnumerateArray().Select(r => new HyparquetRequest(r.GetProperty("method").GetString()!, r.GetProperty("range").ValueKind == JsonValueKind.String ? r.GetProperty("range").GetString() : null, r.GetProperty("status").GetInt32()))]);
    }

    /// <summary>Reads a local file.</summary>
    public static HyparquetRead FromFile(string path) =>
        Parse(NodePeer.Run("parquet-read.mjs", JsonSerializer.Serialize(new { path }), TimeSpan.FromSeconds(60)));

    /// <summary>Reads a file through a URL, as a connector does (HEAD, then range requests).</summary>
    public static HyparquetRead FromUrl(Uri url) =>
        Parse(NodePeer.Run("parquet-read.mjs", JsonSerializer.Serialize(new { url = url.ToString() }), TimeSpan.FromSeconds(60)));

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
