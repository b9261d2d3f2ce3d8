using Concordat.Gateway.Agreements;
using Concordat.Gateway.Transparency;
using Concordat.Store.Registry;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Hosting;

/// <summary>
/// Prepares the store and loads the agreements in force before the server starts listening (hosted services
/// start before Kestrel), so the first request is decided against the right agreements.
/// </summary>
internal sealed class GatewayInitializer(IRegistryStore store, PolicyState policy, LogHost log, ILogger<GatewayInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (await log.OpenAsync(cancellationToken).ConfigureAwait(false) is { } damage)
        {
            // The gateway still starts, so reads and proofs of the signed part stay available; every append is refused.
            LogMessages.LogDamaged(logger, damage.Code, damage.Message);
        }

        await policy.ReloadAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
