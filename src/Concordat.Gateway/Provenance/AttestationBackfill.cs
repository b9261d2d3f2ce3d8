using Concordat.Data.Datasets;
using Concordat.Gateway.Agreements;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Provenance;

/// <summary>
/// Attests, in the background after start-up, every stored dataset version that has no attestation yet (versions
/// stored before attestations existed), crediting them to <see cref="GatewayAttestor.UpgradeImporter"/>.
/// </summary>
/// <remarks>
/// It reads the dataset store's manifests, never the log, and runs after the server listens: start-up does not wait
/// for it. A version whose dataset no agreement in force declares has no tags to state and waits for a later start.
/// </remarks>
internal sealed class AttestationBackfill(DatasetStore datasets, PolicyState policy, GatewayAttestor attestor, ILogger<AttestationBackfill> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Why yield first: ExecuteAsync runs on the host's start-up path until its first await.
        await Task.Yield();
        try
        {
            var attested = 0;
            foreach (var dataset in datasets.ListDatasets())
            {
                var definition = policy.Agreements.SelectMany(a => a.Agreement.Datasets).FirstOrDefault(d => d.Id == dataset);
                foreach (var version in datasets.ListVersions(dataset))
                {
                    stoppingToken.ThrowIfCancellationRequested();
                    if (datasets.GetVersion(dataset, version) is not { } manifest)
                    {
                        continue;
                    }

                    if (definition is null)
                    {
                        LogMessages.BackfillWithoutTags(logger, dataset.Value, version.Number);
                        continue;
                    }

                    if (await attestor.AttestDatasetVersionAsync(manifest, definition, policy.Agreements.Select(a => a.Agreement), GatewayAttestor.UpgradeImporter).ConfigureAwait(false))
                    {
                        attested++;
                    }
                }
            }

            if (attested > 0)
            {
                LogMessages.AttestationsBackfilled(logger, attested);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is left is attested at the next start.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            LogMessages.BackfillFailed(logger, ex);
        }
    }
}
