using Concordat.Agreements;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Recipients;
using Concordat.Incidents.Detection;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Incidents;

/// <summary>
/// The one alert path of the gateway, whoever noticed (the usage detectors, the retention check): the alert becomes a
/// <c>gateway.alert/v1</c> entry; an alert an agreement in force names in its <c>incidents.autoSealAlerts</c> seals the
/// recipient at once through the operator's seal act; and every alert opens an incident for triage, unless one is open
/// for its recipient already.
/// </summary>
internal sealed class AlertRaiser(
    GatewayJournal journal,
    PolicyState policy,
    RecipientSealer sealer,
    StreamRegistry streams,
    IRegistryStore store,
    IncidentBook incidents,
    ILogger<AlertRaiser> logger)
{
    /// <summary>The triage owner of an incident an alert opened, until the operator names one.</summary>
    public const string UnassignedOwner = "unassigned";

    /// <summary>Raises <paramref name="alert"/>: logs it (waiting out pushback), seals when an agreement says so, opens an incident for triage.</summary>
    /// <returns>The alert entry's index.</returns>
    public async Task<long> RaiseAsync(Alert alert)
    {
        var autoSeal = AutoSealAgreements(policy.Agreements, alert);
        var entry = new AlertEntry(journal.Now, alert.Name, alert.Recipient.Value, alert.ClientId?.Value, alert.FirstAnomalousAt, alert.Observed, alert.Threshold, alert.Subject, autoSeal);
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
        return index;
    }

    // Every alert is triaged in an incident: one open (not a drill) per recipient gathers its alerts through the
    // postmortem's timeline, which keeps every entry naming the recipient, so a burst of alerts opens one incident.
    private async Task OpenForTriageAsync(Alert alert, long index, bool isSealed)
    {
        try
        {
            await incidents.WithAsync(async book =>
            {
                if (book.All.Values.Any(i => i.IsOpen && !book.IsDrill(i.Id) && i.Concerns(alert.Recipient.Value)))
                {
                    return false;
                }

                var agreements = Naming(policy.Agreements, alert.Recipient).Select(a => a.Id.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                var suspected = $"alert `{alert.Name}` for recipient `{alert.Recipient}`{(alert.Subject is { } subject ? $" ({subject})" : string.Empty)}{(isSealed ? ": sealed at once" : ": for triage")}";
                var entry = new IncidentOpenedEntry(journal.Now, Security.Secrets.NewId("inc_"), isSealed ? "high" : "medium", suspected, UnassignedOwner, alert.At,
                    agreements, [alert.Recipient.Value], [], [index], "gateway");
                await book.AppendAsync(entry, null).ConfigureAwait(false);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IncidentBookUnavailableException ex)
        {
            LogMessages.DetectionFailed(logger, ex, "gateway.alert/v1");
        }
    }

    private async Task<bool> IsSealedAsync(PartyId recipient) =>
        streams.IsSealed(recipient) || await store.FindSealAsync(recipient, CancellationToken.None).ConfigureAwait(false) is not null;

    /// <summary>The agreements in force, naming the alert's recipient as a recipient, whose auto-seal list names the alert's detector.</summary>
    internal static IReadOnlyList<string> AutoSealAgreements(IEnumerable<ActiveAgreement> agreements, Alert alert) =>
        [.. Naming(agreements, alert.Recipient)
            .Where(a => a.Incidents?.AutoSealAlerts.Any(name => AlertVocabulary.TryResolve(name, out var kind) && kind == alert.Kind) == true)
            .Select(a => a.Id.Value)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    private static IEnumerable<Agreement> Naming(IEnumerable<ActiveAgreement> agreements, PartyId recipient) =>
        agreements.Select(a => a.Agreement).Where(a => a.Parties.Any(p => p.Id == recipient && p.Roles.Contains(PartyRole.Recipient)));
}
