using Concordat.Core;

namespace Concordat.Data.Datasets;

/// <summary>
/// The outcome of an import: the new version's manifest, or the diagnostics that stopped it.
/// </summary>
/// <param name="Manifest">The stored version's manifest; <see langword="null"/> when the import failed and nothing was stored.</param>
/// <param name="Diagnostics">Every problem found (GW62xx codes), each naming the source, row and column.</param>
public sealed record DatasetImportResult(DatasetManifest? Manifest, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>Gets a value indicating whether a new version was stored.</summary>
    public bool IsSuccess => Manifest is not null;
}
