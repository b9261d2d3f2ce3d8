namespace Concordat.Store.Revocation;

/// <summary>
/// The feed of an engine with no other replica to hear from, such as SQLite, whose workspace database belongs to one
/// gateway process: that process's own seals and revocations reach its streams directly.
/// </summary>
public sealed class NoRevocationFeed : IRevocationFeed
{
    /// <summary>The one instance; the feed holds nothing.</summary>
    public static readonly NoRevocationFeed Instance = new();

    private NoRevocationFeed()
    {
    }

    /// <summary>Returns at once: there is nothing to listen to.</summary>
    /// <param name="resync">Not called.</param>
    /// <param name="onNotice">Not called.</param>
    /// <param name="cancellationToken">Not used.</param>
    /// <returns>A completed task.</returns>
    public Task ListenAsync(Func<CancellationToken, Task> resync, Action<RevocationNotice> onNotice, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
