using Concordat.Core;

namespace Concordat.Evidence;

/// <summary>
/// The stable codes of the evidence family (EVD80xx: evidence packs, their building and offline verification;
/// EVD81xx: compliance), each with its title, meaning and fix. docs/errors.md shows the same words.
/// </summary>
// CAUTION: persisted/public format (reported by the CLI); see docs/errors.md
public static class EvidenceErrorCodes
{
    #region EVD codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    public static readonly ErrorCode PackUnreadable = new("EVD8001", "pack unreadable", "the file is not a zip archive, or an entry of it cannot be read, or two entries share a name", "give the pack exactly as `concordat evidence build` wrote it");
    public static readonly ErrorCode ManifestInvalid = new("EVD8002", "manifest does not verify", "the pack's signed manifest (`manifest.dsse.json`) is missing, malformed, or its signature does not verify with the log key", "ask the operator for the pack as built, and check the log key against the one the operator publishes");
    public static readonly ErrorCode FileChanged = new("EVD8003", "file changed", "a file's SHA-256 is not the one the signed manifest names for it: its content was changed after the pack was built", "ask the operator for the pack as built; the message names the file");
    public static readonly ErrorCode FileRemoved = new("EVD8004", "file removed", "the signed manifest names a file the pack does not hold", "ask the operator for the pack as built; the message names the file");
    public static readonly ErrorCode FileAdded = new("EVD8005", "file added", "the pack holds a file the signed manifest does not name", "ask the operator for the pack as built; the message names the file");
    public static readonly ErrorCode CheckpointInvalid = new("EVD8006", "checkpoint does not verify", "the pack's checkpoint is not a signed note of the log key over a C2SP checkpoint, or a cosignature given for it does not verify", "check the log key; ask the operator for the checkpoint the pack was built on");
    public static readonly ErrorCode EntriesNotInLog = new("EVD8007", "entries not in the signed log", "the pack's entries, leaf hashes, frontier and consistency proof do not recompute the checkpoint's root: an entry was changed, removed or added, or a proof swapped", "the access record does not match the signed log: ask the operator for the pack as built");
    public static readonly ErrorCode InclusionProofInvalid = new("EVD8008", "inclusion proof does not verify", "a per-entry inclusion proof does not lead from the entry's leaf hash to the checkpoint's root", "ask the operator for the pack as built");
    public static readonly ErrorCode PreviousInconsistent = new("EVD8009", "previous checkpoint inconsistent", "the consistency proof from the previous pack's checkpoint to this pack's does not hold, or that checkpoint does not verify: the log was rewritten or forked between the packs", "keep both packs as evidence of a fork, and ask the operator why the log changed");
    public static readonly ErrorCode AgreementNotSigned = new("EVD8010", "agreement version not fully signed", "an agreement version in the pack is not signed by every party and required approver with the keys the pack pins, or does not read as an agreement", "ask the operator for the signatures; compare the pinned keys with the parties' published keys");
    public static readonly ErrorCode MemberMalformed = new("EVD8011", "malformed pack file", "a file of the pack does not have the shape docs/formats/evidence-pack.md gives it: not JSON, a member missing, a value of the wrong type", "give the pack exactly as `concordat evidence build` wrote it");
    public static readonly ErrorCode LogKeyMismatch = new("EVD8012", "log key differs", "the log key given to the verifier is not the one the pack names", "check which key the operator publishes; a pack signed by another key proves nothing about this log");
    public static readonly ErrorCode NoSignedCheckpoint = new("EVD8013", "no signed checkpoint", "the log has no signed checkpoint, so no entry can be proven", "sign a checkpoint (`concordat log checkpoint`) and build again");
    public static readonly ErrorCode AgreementUnknown = new("EVD8014", "agreement unknown", "the workspace holds no version of the agreement the pack is asked for", "give the id of an agreement uploaded to the gateway (`concordat agreement list`)");
    public static readonly ErrorCode PreviousUnusable = new("EVD8015", "previous pack unusable", "the pack given as previous cannot be read, its checkpoint is of another log, or it is larger than the log now", "give an earlier pack of the same log, built by `concordat evidence build`");
    public static readonly ErrorCode FormatUnknown = new("EVD8016", "unknown pack format", "`pack.json` names a format version this verifier does not know", "use a verifier of the pack's version");
    public static readonly ErrorCode LintDiffers = new("EVD8017", "lint report differs", "`reports/lint.json` is not what the library's linter gives for the pack's own agreement versions: a warning was removed, added or changed after linting", "ask the operator for the pack as built; run `concordat agreement lint` on the pack's agreement files to see their warnings");
    // EVD802x: proof of enforcement
    public static readonly ErrorCode DecisionNotReplayed = new("EVD8020", "decision the agreement would not make", "a logged decision, re-decided by the library's engine from the agreement versions its record names, gets another answer (effect, reasons, obligations), or its entry and record disagree", "keep the pack as evidence: the gateway did not decide as the signed agreement says; ask the operator which engine and agreement it ran");
    public static readonly ErrorCode TokenExceedsDecision = new("EVD8021", "token exceeds its decision", "a token was issued on a decision that denies, to another recipient than the decision permits, or lasting longer than the decision's token lifetime", "keep the pack as evidence, and ask the operator why the token outlived or overstepped its decision");
    public static readonly ErrorCode EgressDiffersFromDecision = new("EVD8022", "egress differs from its decision", "an egress followed a decision that denies, or went to another recipient, dataset or dataset version than the decision permits", "keep the pack as evidence, and ask the operator why data left under another decision than the one logged");
    public static readonly ErrorCode EgressObligationsDiffer = new("EVD8023", "egress obligations differ from its decision", "an egress entry logs other obligations (field and row rules carried out) than the decision it follows demands when re-made from the agreement version it names, or logs them in another shape than an array of strings", "keep the pack as evidence, and ask the operator why the data left under other field or row rules than the signed agreement sets");
    // EVD81xx: compliance
    public static readonly ErrorCode ChecklistMalformed = new("EVD8101", "compliance checklist malformed", "a compliance checklist is not YAML, does not have the shape docs/formats/compliance-checklist.schema.json gives it, or repeats an item id", "correct the checklist as the message says; docs/formats/compliance-checklist.md describes every key");
    public static readonly ErrorCode ArtifactUnusable = new("EVD8102", "artifact attestation unusable", "a stored compliance artifact attestation does not verify with the pinned keys, or its predicate lacks the kind, agreement or registration time", "register the artifact again with `concordat artifact register`, signed with a key the workspace pins");
#pragma warning restore CS1591
    #endregion
}
