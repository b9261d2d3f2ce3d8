namespace Concordat.Testing.Peers;

/// <summary>A column as an independent reader reads it.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The physical type, such as <c>INT64</c> or <c>BYTE_ARRAY</c> (hyparquet), or the SQL type (DuckDB).</param>
/// <param name="LogicalType">The logical or converted type, such as <c>STRING</c>, <c>DATE</c> or <c>TIMESTAMP</c>, if any.</param>
public sealed record ParquetColumn(string Name, string Type, string? LogicalType);
