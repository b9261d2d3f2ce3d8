using System.Diagnostics;
using Concordat.Agreements;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Store.Registry;

namespace Concordat.Gateway.Recipients;

/// <summary>
/// The one seal act of the gateway, whoever asks for it: the operator (<c>POST /v1/recipients/{recipientId}/seal</c>),
/// an incident's seal step, or an alert an agreement names in <c>incidents.autoSealAlerts</c>.
/// </summary>
/// <remarks>
/// Invariant: the in-process mark first (the next request here fails at once), then the store (every replica's next
/// token check fails), then the streams under way; the streams stopped here log their egress only once the seal's own
/// entry is written. Every caller goes through here, so an automatic seal is enforced exactly as the operator's is.
/// </remarks>
internal sealed class RecipientSealer(IRegistryStore store, StreamRegistry streams, GatewayJournal journal, GatewayMetrics metrics, ILogger<RecipientSealer> logger)
{
    /// <summary>
    /// Seals <paramref name="recipient"/> and hands its entry to <paramref name="append"/> while the streams stopped
    /// here wait for it; a non-null answer of <paramref name="append"/> (a pushback) is returned as <see cref="SealOutcome.Busy"/>.
    /// </summary>
    /// <param name="recipient">The recipient, known to the registry.</param>
    /// <param name="reason">Why, in words.</param>
    /// <param name="cause">The alert's log entry index, or the incident, that caused it; null for the operator's own seal.</param>
    /// <param name="append">Writes the seal entry: the request's journal append, or a background append that waits out pushback.</param>
    public async Task<SealOutcome> SealAsync(PartyId recipient, string reason, SealCause? cause, Func<SealEntry, Task<ProblemHttpResult?>> append)
    {
        var started = Stopwatch.GetTimestamp();
        using (streams.BeginSealEntry(recipient))
        {
            var stopped = streams.Seal(recipient);
            var seal = await store.SealAsync(recipient, journal.Now, reason, CancellationToken.None).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogMessages.Sealed(logger, recipient.Value, seal.TokensRevoked, seal.IdentitiesRevoked, stopped, elapsed);
            metrics.Sealed();

            // Each act records its own reason and what it revoked, even when the recipient was sealed already.
            var entry = new SealEntry(journal.Now, recipient.Value, reason, seal.TokensRevoked, seal.IdentitiesRevoked, stopped, elapsed, cause?.Alert, cause?.IncidentId);
            var busy = await append(entry).ConfigureAwait(false);
            return new SealOutcome(seal, stopped, elapsed, busy);
        }
    }
}

/// <summary>What caused a seal other than the operator's own: an alert (its log entry index) or an incident.</summary>
internal sealed record SealCause(long? Alert, string? IncidentId);

/// <summary>What a seal did; <paramref name="Busy"/> is the 503 answer when its entry could not be written yet (the seal stands).</summary>
internal sealed record SealOutcome(SealAct Act, int StreamsStopped, double EnforcementMilliseconds, ProblemHttpResult? Busy);
