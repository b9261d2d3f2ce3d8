namespace Concordat.Store.Revocation;

/// <summary>
/// The seals, unseals, token revocations and agreement changes (activation, supersession, termination) that gateway
/// replicas commit to the shared store, as they happen.
/// </summary>
/// <remarks>
/// A notice only lets a replica act before its next store read; the store stays the authority.
/// </remarks>
public interface IRevocationFeed
{
    /// <summary>Delivers notices until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <param name="resync">Called after each (re)connection and before the notices that follow it, because notices
    /// sent while the feed was not listening are lost: the caller checks its state against the store.</param>
    /// <param name="onNotice">Called for each notice, in commit order, never concurrently with itself or
    /// <paramref name="resync"/>; it MUST NOT block.</param>
    /// <param name="cancellationToken">Stops the feed.</param>
    /// <returns>A task that completes when the feed stops.</returns>
    /// <remarks>Implementations MUST outlive a lost connection: they reconnect, with backoff, until cancelled.</remarks>
    Task ListenAsync(Func<CancellationToken, Task> resync, Action<RevocationNotice> onNotice, CancellationToken cancellationToken);
}
