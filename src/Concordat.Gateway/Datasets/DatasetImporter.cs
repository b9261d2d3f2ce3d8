using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Gateway.Datasets;

/// <summary>
/// The gateway's import seam over <see cref="DatasetStore"/>: one request body, one new version.
/// </summary>
internal sealed class DatasetImporter(DatasetStore store) : IDatasetImporter
{
    /// <inheritdoc/>
    public async Task<ImportOutcome> ImportAsync(DatasetDefinition schema, RowFormat format, Stream body, CancellationToken cancellationToken)
    {
        var sourceName = format == RowFormat.Csv ? "body.csv" : "body.ndjson";
        var result = await store.ImportAsync(schema, body, format, sourceName, cancellationToken).ConfigureAwait(false);
        return result.Manifest is { } manifest
            ? new ImportOutcome(manifest.Version.ToString(), Sha256Digest.Compute(manifest.ToCanonicalJson()), manifest.RowCount, [])
            : new ImportOutcome(null, null, 0, result.Diagnostics);
    }
}
