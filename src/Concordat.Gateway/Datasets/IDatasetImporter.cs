using Concordat.Agreements;

namespace Concordat.Gateway.Datasets;

/// <summary>
/// Imports a dataset version (CSV or NDJSON against the declared schema) as an immutable version with a manifest:
/// the import store, seen from the gateway endpoint. Nothing half-imported stays behind.
/// </summary>
internal interface IDatasetImporter
{
    /// <summary>Imports one version; bad input is a result with diagnostics naming row and column, not an exception.</summary>
    Task<ImportOutcome> ImportAsync(DatasetDefinition schema, RowFormat format, Stream body, CancellationToken cancellationToken);
}
