namespace Concordat.Retention;

/// <summary>
/// One egress and what its agreement's retention terms demand of the recipient.
/// </summary>
/// <param name="DecisionId">The decision the egress followed.</param>
/// <param name="Recipient">The recipient that received the data.</param>
/// <param name="Dataset">The dataset.</param>
/// <param name="Sha256">The digest of the bytes sent (<c>sha256:&lt;hex&gt;</c>), as the egress entry states it: what a deletion attestation names.</param>
/// <param name="Agreement">The governing agreement's id.</param>
/// <param name="EgressAt">When the egress ended.</param>
/// <param name="DeleteBy">When the recipient must have deleted the data: `retention.daysAfterEgress` after the egress, or `termination.deleteWithinDays` after a termination, whichever is first.</param>
/// <param name="AttestBy">When the recipient's deletion attestation is due: `retention.deletionAttestationDays` after <paramref name="DeleteBy"/> (at it when the agreement sets none).</param>
/// <param name="AttestedAt">When the gateway logged the recipient's deletion attestation, if it did.</param>
/// <param name="State">Due, done or overdue at the instant asked about.</param>
// CAUTION: persisted/public format (`retention status --json`); see docs/design/retention.md
public sealed record RetentionItem(string DecisionId, string Recipient, string Dataset, string Sha256, string Agreement, DateTimeOffset EgressAt, DateTimeOffset DeleteBy, DateTimeOffset AttestBy, DateTimeOffset? AttestedAt, RetentionState State);
