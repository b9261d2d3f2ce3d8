namespace Concordat.Data.Datasets;

/// <summary>
/// One source file of an import.
/// </summary>
/// <param name="Name">The file's name as the user gave it; recorded in the manifest and named by diagnostics, never used as a path.</param>
/// <param name="Content">The file's bytes; read once, to the end, and not disposed by the import.</param>
/// <param name="Format">The file's format.</param>
internal sealed record DatasetSource(string Name, Stream Content, RowFormat Format);
