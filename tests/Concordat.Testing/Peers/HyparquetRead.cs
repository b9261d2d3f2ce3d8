using System.Text.Json;

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
}
