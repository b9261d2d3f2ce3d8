using Concordat.Agreements;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Recipients;
using Concordat.Incidents.Detection;
using Concordat.Store;
using Concordat.Store.Registry;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// Raises one alert, whoever noticed it (the detectors, the retention check, or a partner's indicator): a <c>gateway.alert/v1</c> entry; a seal
/// of the recipient at once through the operator's seal act when an agreement in force names the alert in its
/// <c>incidents.autoSealAlerts</c>; and an incident for triage, unless one is open for the recipient already.
/// </summary>
/// <remarks>
/// Replicas on one PostgreSQL store each notice what the others notice (they fold the same log), so an alert with an id
/// (<see cref="AlertIds"/>) is raised once: under the alert's store lock, after catching up with every replica's
/// entries, only when no alert entry carries its id yet. The triage incident is likewise opened under the recipient's
/// store lock, so two alerts raised at once on two replicas open one incident.
/// </remarks>
internal sealed class AlertRaiser(
    GatewayJournal journal,
    PolicyState policy,
    RecipientSealer sealer,
    StreamRegistry streams,
    IRegistryStore store,
    IncidentBook incidents,
    IStoreEngine engine,
    IOptions<GatewayOptions> options,
    ILogger<AlertRaiser> logger) : IDisposable
{
    /// <summary>The triage owner of an incident an alert opened, until the operator names one.</summary>
    public const string UnassignedOwner = "unassigned";

    // Invariant: the store lock orders replicas; this gate orders this process's raisers, which SQLite's lock does not.
    private readonly SemaphoreSlim _once = new(1, 1);

    /// <summary>
    /// Raises <paramref name="alert"/> unless an alert with <paramref name="alertId"/> is in the log already, whichever
    /// replica wrote it; waits out every pushback of the log.
    /// </summary>
    /// <returns>The index of the alert entry, and whether this call wrote it.</returns>
    /// <exception cref="IncidentBookUnavailableException">The log could not be read to check for the alert; nothing was raised.</exception>
    public async Task<(long Index, bool IsRaised)> RaiseOnceAsync(Alert alert, string alertId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await _once.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var held = await engine.LockAsync(new StoreLockName($"alert\n{alertId}"), cancellationToken).ConfigureAwait(false);
            await using (held.ConfigureAwait(false))
            {
                if (await incidents.WithAsync(book => Task.FromResult(book.AlertIndex(alertId)), cancellationToken).ConfigureAwait(false) is { } logged)
                {
                    return (logged, false);
                }

                // Invariant: the alert entry is durable before the lock is released (RaiseAsync waits for it).
                return ((await RaiseAsync(alert, [], alertId).ConfigureAwait(false)).Index, true);
            }
        }
        finally
        {
            _once.Release();
        }
    }

    /// <summary>Raises <paramref name="alert"/>, sealing only for its own kind; waits out every pushback of the log.</summary>
    /// <returns>The alert entry's index.</returns>
    public async Task<long> RaiseAsync(Alert alert) => (await RaiseAsync(alert, []).ConfigureAwait(false)).Index;

    /// <summary>Raises <paramref name="alert"/>; waits out every pushback of the log.</summary>
    /// <param name="alert">The alert.</param>
    /// <param name="sealsAlso">Other alert kinds an auto-seal list may name to seal for this alert (a partner's own alert kinds).</param>
    /// <returns>The alert entry's index and the agreements whose auto-seal lists sealed the recipient.</returns>
    public Task<(long Index, IReadOnlyList<string> AutoSeal)> RaiseAsync(Alert alert, IReadOnlyCollection<AlertKind> sealsAlso) => RaiseAsync(alert, sealsAlso, null);

    /// <inheritdoc/>
    public void Dispose() => _once.Dispose();

    private async Task<(long Index, IReadOnlyList<string> AutoSeal)> RaiseAsync(Alert alert, IReadOnlyCollection<AlertKind> sealsAlso, string? alertId)
    {
        var autoSeal = AutoSealAgreements(policy.Agreements, alert, sealsAlso);
        var entry = new AlertEntry(journal.Now, alert.Name, alert.Recipient.Value, alert.ClientId?.Value, alert.FirstAnomalousAt, alert.Observed, alert.Threshold, alert.Subject, autoSeal, alertId);
        var index = await journal.AppendUntilDurableAsync(entry).ConfigureAwait(false);
        LogMessages.AlertRaised(logger, alert.Name, alert.Recipient.Value, index);
        if (autoSeal.Count > 0 && !await IsSealedAsync(alert.Recipient).ConfigureAwait(false))
        {
            var reason = $"alert `{alert.Name}` (log entry {index}) seals at once under agreement(s) {string.Join(", ", autoSeal.Select(a => $"`{a}`"))}";
            await sealer.SealAsync(alert.Recipient, reason, new SealCause(index, null), async seal =>
            {
                await journal.AppendUntilDurableAsync(seal).ConfigureAwait(false);
                return null;
            }).ConfigureAwait(false);
        }

        await OpenForTriageAsync(alert, index, autoSeal.Count > 0).ConfigureAwait(false);
        return (index, autoSeal);
    }

    // Every alert is triaged in an incident: one open per recipient gathers its alerts through the postmortem's
    // timeline, which keeps every entry naming the recipient, so a burst of alerts opens one incident. A drill's
    // incident never gathers a real alert, nor a real incident a drill's (a drill gateway opens only drills).
    private async Task OpenForTriageAsync(Alert alert, long index, bool isSealed)
    {
        try
        {
            var held = await engine.LockAsync(new StoreLockName($"incident-triage\n{alert.Recipient.Value}"), CancellationToken.None).ConfigureAwait(false);
            await using var release = held.ConfigureAwait(false);
            await incidents.WithAsync(async book =>
            {
                var isDrill = options.Value.IsDrill;
                if (book.All.Values.Any(i => i.IsOpen && book.IsDrill(i.Id) == isDrill && i.Concerns(alert.Recipient.Value)))
                {
                    return false;
                }

                var agreements = Concerning(policy.Agreements, alert.Recipient).Select(a => a.Id.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var suspected = $"alert `{alert.Name}` for recipient `{alert.Recipient}`{(alert.Subject is { } subject ? $" ({subject})" : string.Empty)}{(isSealed ? ": sealed at once" : ": for triage")}";
                var entry = new IncidentOpenedEntry(journal.Now, Security.Secrets.NewId("inc_"), isSealed ? "high" : "medium", suspected, UnassignedOwner, alert.At,
                    agreements, [alert.Recipient.Value], [], [index], "gateway", isDrill ? true : null);
                await book.AppendAsync(entry, null).ConfigureAwait(false);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMessages.DetectionFailed(logger, ex, "gateway.alert/v1");
        }
    }

    private async Task<bool> IsSealedAsync(PartyId recipient) =>
        streams.IsSealed(recipient) || await store.FindSealAsync(recipient, CancellationToken.None).ConfigureAwait(false) is not null;

    /// <summary>
    /// The agreements in force, naming the alert's recipient as a recipient, whose auto-seal list names the alert's
    /// detector (or one of <paramref name="sealsAlso"/>).
    /// </summary>
    internal static IReadOnlyList<string> AutoSealAgreements(IEnumerable<ActiveAgreement> agreements, Alert alert, IReadOnlyCollection<AlertKind>? sealsAlso = null) =>
        [.. Naming(agreements, alert.Recipient)
            .Where(a => a.Incidents?.AutoSealAlerts.Any(name => AlertVocabulary.TryResolve(name, out var kind) && (kind == alert.Kind || sealsAlso?.Contains(kind) == true)) == true)
            .Select(a => a.Id.Value)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// The agreements in force an alert about <paramref name="party"/> concerns: those naming it as a recipient, and
    /// those listing it as a subprocessor (a party with the subprocessor role, or a grant's <c>subprocessors</c>), as a
    /// <c>diligence-expired</c> alert may be about a subprocessor that receives nothing itself.
    /// </summary>
    internal static IEnumerable<Agreement> Concerning(IEnumerable<ActiveAgreement> agreements, PartyId party) =>
        agreements.Select(a => a.Agreement).Where(a =>
            a.Parties.Any(p => p.Id == party && (p.Roles.Contains(PartyRole.Recipient) || p.Roles.Contains(PartyRole.Subprocessor)))
            || a.Grants.Any(g => g.Subprocessors.Contains(party)));

    /// <summary>The agreements in force naming <paramref name="recipient"/> as a recipient.</summary>
    internal static IEnumerable<Agreement> Naming(IEnumerable<ActiveAgreement> agreements, PartyId recipient) =>
        agreements.Select(a => a.Agreement).Where(a => a.Parties.Any(p => p.Id == recipient && p.Roles.Contains(PartyRole.Recipient)));
}
