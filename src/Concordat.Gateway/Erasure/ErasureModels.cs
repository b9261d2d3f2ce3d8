using Concordat.Gateway.Journal;

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
