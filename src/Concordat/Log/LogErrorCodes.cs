using Concordat.Core;

namespace Concordat.Log;

/// <summary>
/// The stable codes of the log family, each with its title, meaning and fix: LOG40xx Merkle proofs and signed notes
/// checked by hand, LOG41xx the stored log. docs/errors.md shows the same words.
/// </summary>
// CAUTION: persisted/public format (reported by the CLI and in LogProblem); see docs/errors.md
public static class LogErrorCodes
{
    private const string KeepAsEvidence = "the stored log does not match what was signed; keep it as evidence: verify never repairs";

    #region LOG codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    // LOG40xx: Merkle proofs and signed notes
    public static readonly ErrorCode LeafLineMalformed = new("LOG4001", "malformed leaf line", "`log root`: a leaf line is not lowercase hex with an even number of digits, or does not end with a newline; the diagnostic names the line and column", "write each leaf as lowercase hex, two digits per byte, on a line of its own ending with a newline");
    public static readonly ErrorCode ProofInputMalformed = new("LOG4002", "malformed proof input", "`log check-*`: a hash, number or proof element is missing or malformed, a leaf index is outside the tree, the older size is larger than the newer, or a consistency proof starts from the empty tree (size1 0: it proves nothing)", "give the values exactly as the log published them");
    public static readonly ErrorCode InclusionProofFailed = new("LOG4003", "inclusion proof does not hold", "`log check-inclusion`: the inclusion proof does not hold (wrong proof size, or expected and calculated roots differ)", "the leaf is not in the tree with that root: check the values, and keep them as evidence if they are right");
    public static readonly ErrorCode ConsistencyProofFailed = new("LOG4004", "consistency proof does not hold", "`log check-consistency`: the consistency proof does not hold", "the newer tree does not extend the older one: keep both checkpoints as evidence");
    public static readonly ErrorCode NoteMalformed = new("LOG4010", "malformed signed note", "`note verify`, `note cosign`: the input is not a well-formed C2SP signed note", "give the note exactly as it was signed: the text, a blank line, the signature lines");
    public static readonly ErrorCode NoteNotVerified = new("LOG4011", "signed note not verified", "`note verify`, `note cosign`: no signature is by a known key, or a known key's signature does not verify", "check that the verifier key is the signer's; a note changed after signing does not verify");
    public static readonly ErrorCode KeyMalformed = new("LOG4012", "malformed key", "a signer or verifier key is malformed, given twice, or its hash does not match its name and key", "give a key file written by `concordat key new`");
    public static readonly ErrorCode NoteTextInvalid = new("LOG4013", "not a note text", "`note sign`: the text cannot be a note text (not UTF-8, no final newline, control characters)", "a note text is UTF-8, ends with a newline and has no control characters other than newlines");

    // LOG41xx: the stored log
    public static readonly ErrorCode EntryMissing = new("LOG4101", "entry missing", "an entry below the tree size is missing from storage", KeepAsEvidence);
    public static readonly ErrorCode HashMissing = new("LOG4102", "hash missing or malformed", "a stored hash (leaf or interior) is missing or malformed", KeepAsEvidence);
    public static readonly ErrorCode EntryChanged = new("LOG4103", "entry changed", "an entry does not match its stored leaf hash (the entry or the hash was changed)", KeepAsEvidence);
    public static readonly ErrorCode InteriorHashChanged = new("LOG4104", "interior hash changed", "a stored interior hash does not match the entries below it", KeepAsEvidence);
    public static readonly ErrorCode EntryBeyondTree = new("LOG4105", "entry beyond the tree", "an entry is stored beyond the tree size", KeepAsEvidence);
    public static readonly ErrorCode CheckpointInvalid = new("LOG4106", "checkpoint does not verify", "a checkpoint in the history does not verify with the log key, or is malformed", KeepAsEvidence);
    public static readonly ErrorCode LogRewritten = new("LOG4107", "log rewritten", "the stored tree is not consistent with a signed checkpoint: the log was rewritten", KeepAsEvidence);
    public static readonly ErrorCode EntriesRemoved = new("LOG4108", "entries removed", "a signed checkpoint is beyond the stored tree size: entries were removed", KeepAsEvidence);
    public static readonly ErrorCode PeriodicCheckpointFailed = new("LOG4109", "periodic checkpoint failed", "a periodic checkpoint could not be signed (the cause is in the message)", "remove the cause the message names (such as a full disk); the next period tries again");
    public static readonly ErrorCode EntryBodyInvalid = new("LOG4110", "entry body not accepted", "an entry body is not JSON, not I-JSON, or makes an entry larger than 65,535 bytes (the most a tile entry bundle can carry)", "give an I-JSON body whose entry is at most 65,535 bytes; keep large documents out of the log and log their digest");
    public static readonly ErrorCode NameInvalid = new("LOG4111", "malformed type or origin", "an entry type or origin is not well formed", "give a type as a lowercase name and a version (`decision/v1`), an origin as a name without `+` or spaces");
    public static readonly ErrorCode RightEdgeDamaged = new("LOG4113", "log refuses to grow", "the stored right edge of the tree does not hash to the last signed checkpoint, or does not match the entries appended since: the log takes no entry and signs no checkpoint until the damage is understood", "run `concordat log verify` to find the first bad entry; keep the store as evidence: nothing repairs it");
    public static readonly ErrorCode HistoryChanged = new("LOG4114", "checkpoint history changed", "the stored checkpoint history does not match its signed record (docs/formats/checkpoint-history.md): a checkpoint was removed, added or changed, or the record does not verify", KeepAsEvidence);
    public static readonly ErrorCode OutsideLog = new("LOG4112", "outside the stored log", "an index or tree size is outside the stored log", "see the tree size with `concordat log verify`");
    public static readonly ErrorCode LogLocked = new("LOG4120", "log in use", "another process holds the workspace's log", "only one process may use a workspace's log at a time");
    public static readonly ErrorCode LogCorrupt = new("LOG4121", "log database corrupt", "the log database is corrupt or not a log database", "restore the workspace from a backup; the file was not changed");
    public static readonly ErrorCode NoLog = new("LOG4122", "no log", "the workspace's store holds no log", "create one with `concordat log init` and the same --workspace and --store");
    public static readonly ErrorCode LogExists = new("LOG4123", "log exists", "the workspace's store already holds a log (or the workspace a log key)", "a log is never overwritten; choose another --workspace or --store");
    public static readonly ErrorCode LogKeyInvalid = new("LOG4124", "log key missing or malformed", "the workspace's log key file is missing or malformed", "restore the workspace's `log.key` and `log.pub` from a backup");
    public static readonly ErrorCode Pushback = new("LOG4125", "log busy", "the log pushed back: too busy (HTTP: 503 with Retry-After)", "retry after the time given");
    public static readonly ErrorCode StoreUnavailable = new("LOG4126", "store unavailable", "the store cannot be opened: `--store` is not a connection string, or the database cannot be reached, refuses the role or its rights", "check --store: the server, the database, the role and its rights");
    public static readonly ErrorCode LogMissing = new("LOG4127", "log missing or empty", "the workspace has a log key, so a log was created, but its store holds no log: `log.db` is missing or empty (0 bytes), or the database has no log tables", "restore the log from a backup; a log is never created again in its place");

    // LOG413x: log exports (docs/formats/log-export.md)
    public static readonly ErrorCode ExportMalformed = new("LOG4130", "malformed log export", "a log export is not one `concordat log export` writes: a line is not JSON, a member is missing, unknown or malformed, or lines are out of order; the message names the line", "export the log again with `concordat log export`; keep the damaged file as evidence");
    public static readonly ErrorCode ExportNotVerified = new("LOG4131", "log export does not verify", "a log export's consistency proof, counts or final digest do not hold: the export was changed after it was written", "ask the operator for a new export; keep this one as evidence");
    public static readonly ErrorCode ExportEmpty = new("LOG4132", "nothing signed to export", "the log has no signed checkpoint, so an export would carry nothing signed", "sign a checkpoint first with `concordat log checkpoint`");
    public static readonly ErrorCode ExportNotWritten = new("LOG4133", "export not written", "`log export`: the export file cannot be written (its folder does not exist or is not writable, or the disk is full); nothing was left behind", "give --out a path in a writable folder with room for the export");

    // LOG42xx: the log read as C2SP tiles (docs/formats/tiles.md) and checked by a partner (`log verify --url`)
    public static readonly ErrorCode LogUnreachable = new("LOG4200", "log unreachable", "`log verify --url`: the log's checkpoint or a tile cannot be read: the gateway does not answer, answers an error other than 404, or the folder cannot be read", "check --url and the network; nothing was checked and the state file was not changed");
    public static readonly ErrorCode TileMissing = new("LOG4201", "tile not served", "a hash tile or entry bundle that the signed checkpoint's tree holds is not served (404)", "the log does not serve what it signed: keep the checkpoint as evidence and ask the operator");
    public static readonly ErrorCode TileMalformed = new("LOG4202", "malformed tile", "a hash tile is not 32 bytes per hash of its width, or an entry bundle does not hold exactly its width of length-prefixed entries", "the log serves damaged tiles: keep them and the checkpoint as evidence");
    public static readonly ErrorCode TilesNotSigned = new("LOG4203", "tiles do not match the checkpoint", "the tiles do not hash to the signed checkpoint's root, or a full tile does not hash to its hash in the tile above: the served tree is not the signed one", "keep the tiles and the checkpoint as evidence: the log serves a tree it did not sign");
    public static readonly ErrorCode BundleEntryChanged = new("LOG4204", "served entry changed", "an entry of an entry bundle does not hash to its leaf hash in the level-0 tile: the entry was changed", "keep the bundle and the checkpoint as evidence");
    public static readonly ErrorCode EntryNotIncluded = new("LOG4205", "entry not in the log", "an entry the log must hold (one about your own access) is not in the signed tree, or another entry is in its place", "keep the receipt of the entry and the checkpoint as evidence");
    public static readonly ErrorCode TreeNotConsistent = new("LOG4206", "log forked", "the signed tree does not extend the checkpoint saved before: the log was rewritten, or shows different clients different trees (split view)", "keep both checkpoints as evidence: each is signed by the log, and together they prove the fork");
    public static readonly ErrorCode TreeRolledBack = new("LOG4207", "log rolled back", "the signed tree is smaller than the checkpoint saved before: entries were removed, or an old checkpoint is replayed", "keep both checkpoints as evidence; the state file was not changed");
    public static readonly ErrorCode RemoteCheckpointNotVerified = new("LOG4208", "served checkpoint not verified", "the served checkpoint is not a signed note of a checkpoint, is not signed by the pinned log key, or carries fewer valid cosignatures of pinned witness keys than required", "check --log-key and --witness-key against what the operator and witnesses published; a checkpoint changed in transit does not verify");
    public static readonly ErrorCode VerifyStateMalformed = new("LOG4209", "malformed state file", "`log verify --state`: the state file is not one `log verify` wrote, or is for another log", "give the file an earlier `log verify --state` wrote for this log, or a new path to start one");
#pragma warning restore CS1591
    #endregion
}
