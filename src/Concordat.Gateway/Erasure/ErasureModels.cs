using Concordat.Gateway.Journal;
using Concordat.Retention;

namespace Concordat.Gateway.Erasure;

/// <summary>The body of <c>POST /v1/datasets/{datasetId}/erasures</c>: the subject, by the values of the dataset's entity key.</summary>
/// <param name="Subjects">The identifiers naming the subject, as stored (1 to 1,000).</param>
internal sealed record ErasureRequest(IReadOnlyList<string>? Subjects);

/// <summary>What an erasure did and whom it concerns; never the subject's identifiers.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="ErasedAt">The instant of the erasure: each new manifest's <c>erasedAt</c>.</param>
/// <param name="Versions">Each stored version rewritten: its old and new manifest digests and the rows removed.</param>
/// <param name="RowsRemoved">The rows removed from all versions.</param>
/// <param name="SubjectCommitment">The keyed commitment the log entry carries; its key no longer exists.</param>
/// <param name="Egress">The egress found, by replaying their row rules, to have carried the subject, with their new deadlines.</param>
/// <param name="Recipients">Per recipient concerned, its own pseudonyms of the subject (one per identifier, in the order given).</param>
/// <param name="Envelope">The SHA-256 of the signed erasure record (<c>erasure/v1</c>).</param>
/// <param name="LogIndex">The index of the <c>gateway.erasure/v1</c> entry.</param>
internal sealed record ErasureResponse(
    string Dataset,
    DateTimeOffset ErasedAt,
    IReadOnlyList<ErasedVersion> Versions,
    long RowsRemoved,
    string SubjectCommitment,
    IReadOnlyList<AffectedEgress> Egress,
    IReadOnlyList<RecipientPseudonyms> Recipients,
    string Envelope,
    long LogIndex);

/// <summary>An egress that carried the subject.</summary>
/// <param name="DecisionId">The egress decision.</param>
/// <param name="Recipient">Who received it.</param>
/// <param name="DatasetVersion">The version it served.</param>
/// <param name="IsReplayed">Whether its row rules were replayed (false: its decision or agreement could not be read, so it is listed to be safe).</param>
/// <param name="DeleteBy">The recipient's deletion deadline now (docs/design/retention.md); absent when the deadlines cannot be read.</param>
/// <param name="AttestBy">The recipient's deadline to attest deletion again.</param>
internal sealed record AffectedEgress(string DecisionId, string Recipient, int DatasetVersion, bool IsReplayed, DateTimeOffset? DeleteBy, DateTimeOffset? AttestBy);

/// <summary>A recipient concerned by an erasure and its own pseudonyms of the subject: what it can find in the data it holds.</summary>
internal sealed record RecipientPseudonyms(string Recipient, IReadOnlyList<string> Pseudonyms);

/// <summary>One erasure as <c>GET /v1/erasures</c> lists it: what was erased and, per recipient concerned, what it must delete and by when.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="ErasedAt">The instant of the erasure.</param>
/// <param name="LogIndex">The index of its <c>gateway.erasure/v1</c> entry: the cursor to list only later erasures (<c>after</c>).</param>
/// <param name="Versions">The versions rewritten.</param>
/// <param name="SubjectCommitment">The keyed commitment the entry carries; its key no longer exists.</param>
/// <param name="Envelope">The SHA-256 of the signed erasure record.</param>
/// <param name="Attestation">Where the signed erasure record is served.</param>
/// <param name="Recipients">The recipients concerned: every one for the operator, the caller alone for a recipient.</param>
internal sealed record ErasureNotice(
    string Dataset,
    DateTimeOffset ErasedAt,
    long LogIndex,
    IReadOnlyList<ErasedVersion> Versions,
    string SubjectCommitment,
    string Envelope,
    string Attestation,
    IReadOnlyList<ErasureNoticeRecipient> Recipients);

/// <summary>A recipient concerned by an erasure.</summary>
/// <param name="Recipient">The recipient.</param>
/// <param name="Egress">Its egress that carried the subject, with where each stands now.</param>
/// <param name="Pseudonyms">Its own pseudonyms of the subject (one per identifier); absent once it attested deletion of every egress listed, when the gateway no longer keeps them.</param>
internal sealed record ErasureNoticeRecipient(string Recipient, IReadOnlyList<ErasureNoticeEgress> Egress, IReadOnlyList<string>? Pseudonyms);

/// <summary>An egress an erasure touched, with the recipient's deadlines now (docs/design/retention.md).</summary>
/// <param name="DecisionId">The egress decision.</param>
/// <param name="DeleteBy">When the recipient must have deleted the subject's rows; absent when the deadlines cannot be read.</param>
/// <param name="AttestBy">When it must have attested the deletion.</param>
/// <param name="State">Due, done (attested after the erasure) or overdue.</param>
internal sealed record ErasureNoticeEgress(string DecisionId, DateTimeOffset? DeleteBy, DateTimeOffset? AttestBy, RetentionState? State);
