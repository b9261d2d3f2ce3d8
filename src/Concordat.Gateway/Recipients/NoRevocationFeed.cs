using Concordat.Storage.Postgres.Registry;

namespace Concordat.Gateway.Recipients;

/// <summary>
/// The feed on SQLite: a workspace's database belongs to one gateway process, so there is no other replica to hear
/// from; this process's own seals and revocations reach its <see cref="StreamRegistry"/> directly.
/// </summary>
internal sealed class NoRevocationFeed : IRevocationFeed
{
    public Task ListenAsync(Func<CancellationToken, Task> resync, Action<RevocationNotice> onNotice, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
