using Concordat.Agreements;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// The agreements in force and the decision index compiled from them; swapped atomically when an agreement is
/// activated, so a request is decided against one consistent set.
/// </summary>
/// <remarks>
/// <para>Security: on every load each active version is checked again (parsed, validated, signatures verified); a
/// version whose signatures no longer match its stored document is not enforced, and is logged.</para>
/// <para>A version with a recorded termination is enforced with its windows ending when the termination takes effect
/// (<see cref="AgreementTermination"/>); it was verified on upload, and is not checked again, since it only narrows.</para>
/// <para>Loads are serialized, so a slower read of an older state never replaces a newer one.</para>
/// </remarks>
internal sealed class PolicyState(IRegistryStore store, AgreementChecker checker, ILogger<PolicyState> logger) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private PolicySnapshot _current = PolicySnapshot.Empty;
    private int _requested;

    /// <summary>Gets the agreements in force.</summary>
    public IReadOnlyList<ActiveAgreement> Agreements => Volatile.Read(ref _current).Agreements;

    /// <summary>Gets the agreements in force with their index; read it once per decision.</summary>
    public PolicySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Reads the active versions from the store, checks each again and swaps in a new index.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>
    /// Reloads in the background without blocking the caller (a notice that another replica changed an agreement);
    /// requests that arrive during a load are served by one more load after it.
    /// </summary>
    public void RequestReload()
    {
        Interlocked.Increment(ref _requested);
        _ = ReloadRequestedAsync();
    }

    /// <inheritdoc/>
    public void Dispose() => _loading.Dispose();

    private async Task ReloadRequestedAsync()
    {
        try
        {
            await _loading.WaitAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The gateway stopped before the load could start: nothing left to load for.
            return;
        }

        try
        {
            if (Interlocked.Exchange(ref _requested, 0) > 0)
            {
                await LoadAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Why: a background load has no caller to throw to; it logs, and the feed's next notice or reconnection loads again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogMessages.PolicyReloadFailed(logger, ex);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var versions = await store.ListAgreementVersionsAsync(cancellationToken).ConfigureAwait(false);
        var active = new List<ActiveAgreement>();
        foreach (var version in versions.Where(v => v.State == AgreementVersionState.Active))
        {
            var check = checker.Check(version.Document, version.Signatures);
            if (!check.IsEnforceable || check.Digest != version.Digest)
            {
                LogMessages.AgreementNotEnforced(logger, version.Id.Value, version.Version);
                continue;
            }

            var agreement = version.TerminatesAt is { } end ? AgreementTermination.EndAt(check.Agreement!, end) : check.Agreement!;
            active.Add(new ActiveAgreement(agreement, version.Version, version.Digest, version.TerminatesAt));
        }

        Volatile.Write(ref _current, PolicySnapshot.Compile(active));
        LogMessages.PolicyLoaded(logger, active.Count);
    }

    /// <summary>
    /// Returns the tightest rate limit the agreements in force set for <paramref name="recipient"/>: the
    /// smallest number of requests per second over its grants, or <see langword="null"/> when none sets one.
    /// </summary>
    public RateLimit? RateLimitFor(PartyId recipient)
    {
        RateLimit? tightest = null;
        foreach (var active in Agreements)
        {
            foreach (var grant in active.Agreement.Grants)
            {
                if (grant.Recipient == recipient && grant.RateLimit is { } limit
                    && (tightest is null || limit.Requests / limit.Period.TotalSeconds < tightest.Requests / tightest.Period.TotalSeconds))
                {
                    tightest = limit;
                }
            }
        }

        return tightest;
    }
}
