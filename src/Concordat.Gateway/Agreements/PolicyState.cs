using Concordat.Agreements;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Agreements;

/// <summary>
/// The agreements in force and the decision index compiled from them; swapped atomically when an agreement is
/// activated, so a request is decided against one consistent set.
/// </summary>
/// <remarks>
/// Security: on every load each active version is checked again (parsed, validated, signatures verified); a
/// version whose signatures no longer match its stored document is not enforced, and is logged.
/// </remarks>
internal sealed class PolicyState(IRegistryStore store, AgreementChecker checker, ILogger<PolicyState> logger)
{
    private PolicySnapshot _current = PolicySnapshot.Empty;

    /// <summary>Gets the agreements in force.</summary>
    public IReadOnlyList<ActiveAgreement> Agreements => Volatile.Read(ref _current).Agreements;

    /// <summary>Gets the agreements in force with their index; read it once per decision.</summary>
    public PolicySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Reads the active versions from the store, checks each again and swaps in a new index.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
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

            active.Add(new ActiveAgreement(check.Agreement!, version.Version, version.Digest));
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
