using Concordat.Retention;

namespace Concordat.Gateway.Retention;

/// <summary>The answer of <c>GET /v1/retention</c>: each egress the caller may see, with its deadlines and state.</summary>
/// <param name="At">The instant judged at.</param>
/// <param name="Items">The egress, in log order: every one for the operator, its own for a recipient.</param>
/// <param name="Due">How many are due (not yet attested, not yet late).</param>
/// <param name="Done">How many were attested.</param>
/// <param name="Overdue">How many are past their attestation deadline.</param>
/// <param name="UnknownAgreements">For the operator: how many egress named an agreement version no longer readable here (not judged).</param>
internal sealed record RetentionReport(DateTimeOffset At, IReadOnlyList<RetentionItem> Items, int Due, int Done, int Overdue, int? UnknownAgreements);

/// <summary>The answer to an accepted deletion attestation.</summary>
/// <param name="Recipient">The recipient that attested.</param>
/// <param name="DecisionIds">The egress attested, by decision id.</param>
/// <param name="DeletedAt">When the recipient says deletion was complete.</param>
/// <param name="Envelope">The SHA-256 of the envelope as uploaded (<c>sha256:&lt;hex&gt;</c>), as the log entry states it.</param>
/// <param name="KeyId">The key id that signed it.</param>
/// <param name="AttestedAt">When the gateway logged it.</param>
internal sealed record DeletionAttestationAccepted(string Recipient, IReadOnlyList<string> DecisionIds, DateTimeOffset DeletedAt, string Envelope, string KeyId, DateTimeOffset AttestedAt);
