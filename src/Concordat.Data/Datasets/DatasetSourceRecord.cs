using Concordat.Core;

namespace Concordat.Data.Datasets;

/// <summary>
/// What a manifest records about one source file of an import.
/// </summary>
/// <param name="Name">The file's name as the user gave it.</param>
/// <param name="Format">The file's format.</param>
/// <param name="Sha256">The SHA-256 of the file's bytes, exactly as received.</param>
/// <param name="Bytes">The file's length in bytes.</param>
/// <param name="Rows">The rows it contributed.</param>
// CAUTION: persisted/public format; see docs/formats/datasets.md
public sealed record DatasetSourceRecord(string Name, RowFormat Format, Sha256Digest Sha256, long Bytes, long Rows);
