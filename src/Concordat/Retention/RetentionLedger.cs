using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Log;

namespace Concordat.Retention;

/// <summary>
/// Computes, from log entries alone and the agreements they name, when each recipient must delete what it received
/// and whether it attested deletion in time: the same log gives the same answer to the operator and to any party
/// holding an export (docs/design/retention.md).
/// </summary>
/// <remarks>
/// Memory is proportional to the egress in the log (one small record each), not to the entries.
/// </remarks>
public sealed class RetentionLedger
{
    /// <summary>The log entry type of a deletion attestation the gateway accepted.</summary>
    public const string DeletionAttestedType = "gateway.deletion-attested/v1";

    /// <summary>The log entry type of an erasure of a data subject (docs/design/erasure.md).</summary>
    public const string ErasureType = "gateway.erasure/v1";

    /// <summary>The days a recipient has to attest deletion after an erasure touched its egress, when the agreement sets no <c>deletionAttestationDays</c> above 0.</summary>
    public const int DefaultErasureAttestationDays = 30;

    private readonly Dictionary<string, DateTimeOffset> _erasures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Agreement, string Digest)> _decisions = new(StringComparer.Ordinal);
    private readonly List<Egress> _egress = [];
    private readonly Dictionary<string, DateTimeOffset> _terminations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Recipient, string DecisionId), DateTimeOffset> _attested = [];

    /// <summary>Reads the next entry of the log; entries of other types are ignored.</summary>
    /// <param name="entry">The entry, in log order.</param>
    public void Read(LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var body = entry.Body;
        switch (entry.Type)
        {
            case "gateway.decision/v1" when JsonMembers.Text(body, "effect") == "permit" && JsonMembers.Text(body, "agreement") is { } agreement && JsonMembers.Text(body, "agreementDigest") is { } digest:
                _decisions[JsonMembers.Text(body, "decisionId")!] = (agreement, digest);
                break;
            case "gateway.egress/v1" when JsonMembers.Text(body, "decisionId") is { } decisionId && JsonMembers.Text(body, "recipient") is { } recipient:
                _egress.Add(new Egress(decisionId, recipient, JsonMembers.Text(body, "dataset") ?? string.Empty, JsonMembers.Text(body, "sha256") ?? string.Empty, entry.Time));
                break;
            case "gateway.agreement/v1" when JsonMembers.Text(body, "state") == "terminated" && JsonMembers.Text(body, "agreement") is { } terminated
                && body.TryGetProperty("effectiveAt", out var effective) && effective.TryGetDateTimeOffset(out var at):
                _terminations[terminated] = at;
                break;
            case DeletionAttestedType when JsonMembers.Text(body, "recipient") is { } attester && body.TryGetProperty("decisionIds", out var ids) && ids.ValueKind == JsonValueKind.Array:
                foreach (var id in ids.EnumerateArray().Select(i => i.GetString()).OfType<string>())
                {
                    _attested.TryAdd((attester, id), entry.Time);
                }

                break;
            case ErasureType when body.TryGetProperty("decisionIds", out var erased) && erased.ValueKind == JsonValueKind.Array:
                foreach (var id in erased.EnumerateArray().Select(i => i.GetString()).OfType<string>())
                {
                    // Invariant: an attestation filed before the erasure covered data that held the subject; the
                    // recipient attests again, and only an attestation after this entry counts.
                    _erasures[id] = entry.Time;
                    foreach (var key in _attested.Keys.Where(k => k.DecisionId == id).ToList())
                    {
                        _attested.Remove(key);
                    }
                }

                break;
        }
    }

    /// <summary>Where each egress stands at <paramref name="at"/>, given the agreements the decisions name.</summary>
    /// <param name="agreements">The agreement versions, by digest; an egress whose agreement is not among them is counted in <paramref name="unknown"/>.</param>
    /// <param name="at">The instant to judge at.</param>
    /// <param name="unknown">How many egress named an agreement version not given, or none at all.</param>
    /// <returns>One item per egress, in log order.</returns>
    public IReadOnlyList<RetentionItem> Status(IReadOnlyDictionary<string, Agreement> agreements, DateTimeOffset at, out int unknown)
    {
        ArgumentNullException.ThrowIfNull(agreements);
        unknown = 0;
        var items = new List<RetentionItem>();
        foreach (var egress in _egress)
        {
            if (!_decisions.TryGetValue(egress.DecisionId, out var decision) || !agreements.TryGetValue(decision.Digest, out var agreement))
            {
                unknown++;
                continue;
            }

            var deadlines = Deadlines(agreement, egress.At, _terminations.TryGetValue(decision.Agreement, out var terminatedAt) ? terminatedAt : null);
            if (_erasures.TryGetValue(egress.DecisionId, out var erasedAt))
            {
                deadlines = AfterErasure(agreement, deadlines, erasedAt);
            }

            if (deadlines is not { } due)
            {
                continue;
            }

            DateTimeOffset? attested = _attested.TryGetValue((egress.Recipient, egress.DecisionId), out var attestedAt) ? attestedAt : null;
            var state = attested is not null ? RetentionState.Done : at > due.AttestBy ? RetentionState.Overdue : RetentionState.Due;
            items.Add(new RetentionItem(egress.DecisionId, egress.Recipient, egress.Dataset, egress.Sha256, decision.Agreement, egress.At, due.DeleteBy, due.AttestBy, attested, state));
        }

        return items;
    }

    /// <summary>The deletion and attestation deadlines of data received at <paramref name="egressAt"/>; none when the agreement sets no retention or termination deletion.</summary>
    public static (DateTimeOffset DeleteBy, DateTimeOffset AttestBy)? Deadlines(Agreement agreement, DateTimeOffset egressAt, DateTimeOffset? terminatedAt)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        DateTimeOffset? deleteBy = agreement.Retention is { } retention ? egressAt.AddDays(retention.DaysAfterEgress) : null;
        if (terminatedAt is { } end && agreement.Termination?.DeleteWithinDays is { } within)
        {
            var afterTermination = (end > egressAt ? end : egressAt).AddDays(within);
            deleteBy = deleteBy is { } d && d < afterTermination ? d : afterTermination;
        }

        return deleteBy is { } due ? (due, due.AddDays(agreement.Retention?.DeletionAttestationDays ?? 0)) : null;
    }

    /// <summary>
    /// The deadlines of an egress an erasure touched: delete at once (the erasure's instant, unless the deadline was
    /// earlier) and attest within the agreement's <c>deletionAttestationDays</c> (or
    /// <see cref="DefaultErasureAttestationDays"/> when it sets none above 0) of the erasure.
    /// </summary>
    private static (DateTimeOffset DeleteBy, DateTimeOffset AttestBy) AfterErasure(Agreement agreement, (DateTimeOffset DeleteBy, DateTimeOffset AttestBy)? before, DateTimeOffset erasedAt)
    {
        var deleteBy = before is { } b && b.DeleteBy < erasedAt ? b.DeleteBy : erasedAt;
        var days = agreement.Retention?.DeletionAttestationDays is { } set && set > 0 ? set : DefaultErasureAttestationDays;
        return (deleteBy, erasedAt.AddDays(days));
    }

    private sealed record Egress(string DecisionId, string Recipient, string Dataset, string Sha256, DateTimeOffset At);
}
