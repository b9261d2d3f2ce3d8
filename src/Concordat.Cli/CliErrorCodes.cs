namespace Concordat.Cli;

/// <summary>
/// The stable codes of the command line (CLI), each with its exit code, title, meaning and fix; docs/errors.md shows
/// the same words. Verbs also report the library's codes (AGR, POL, LOG) and pass on the gateway's (GW).
/// </summary>
internal static class CliErrorCodes
{
    #region CLI codes (stable; docs/errors.md)
    // CLI00xx: every verb
    public static readonly CliErrorCode Unexpected = new("CLI0001", ExitCodes.Error, "unexpected error", "an unexpected error: a bug, or the environment failing", "run again with --verbose for details");
    public static readonly CliErrorCode InputUnreadable = new("CLI0002", ExitCodes.Error, "input unreadable", "an input file (or standard input) cannot be read", "check the path and its permissions");
    public static readonly CliErrorCode OutputUnwritable = new("CLI0003", ExitCodes.Error, "output unwritable", "a file or folder cannot be written: its folder is missing, it is a folder, or permission is denied", "check the path and its permissions, or choose another");
    public static readonly CliErrorCode InvalidArguments = new("CLI0004", ExitCodes.Invalid, "invalid arguments", "the command line does not parse: an unknown verb or option, a missing or extra value, or a number out of range", "run `concordat help VERB` for the verb's usage and an example");
    public static readonly CliErrorCode FileSystemFailed = new("CLI0005", ExitCodes.Error, "file system error", "a file or folder cannot be read or written", "check the path and its permissions");

    // CLI10xx: keys
    public static readonly CliErrorCode InvalidKeyName = new("CLI1001", ExitCodes.Invalid, "invalid key name", "`key new`: the key name is empty or holds `+` or spaces", "use a non-empty name with no `+` and no spaces");
    public static readonly CliErrorCode KeyExists = new("CLI1002", ExitCodes.Error, "key exists", "`key new`: the key file already exists; an existing key is never overwritten", "choose another --out; an existing key is never overwritten");

    // CLI11xx: agreement verbs
    public static readonly CliErrorCode FileUnreadable = new("CLI1101", ExitCodes.Error, "file unreadable", "a file does not exist or cannot be read", "check the path and its permissions");
    public static readonly CliErrorCode NotASigner = new("CLI1102", ExitCodes.Invalid, "not a signer", "`--as` names neither a party nor an approver (for `terminate`: not a party)", "sign as one of the listed signers");
    public static readonly CliErrorCode SignerKeyUnreadable = new("CLI1103", ExitCodes.Error, "signer key unreadable", "the private key file cannot be read or is not a signer key", "give the `.key` file written by `concordat key new`");
    public static readonly CliErrorCode KeyNotListed = new("CLI1104", ExitCodes.Invalid, "key not listed", "the key is not one the document names for the signer", "sign with a key listed under the signer's `keys`, or list this key there first");
    public static readonly CliErrorCode InvalidInstant = new("CLI1105", ExitCodes.Invalid, "invalid instant", "`--at` is not an RFC 3339 UTC instant", "write e.g. `2026-11-21T00:00:00Z`");
    public static readonly CliErrorCode TerminationExists = new("CLI1106", ExitCodes.Error, "termination exists", "a termination record already exists", "a termination is recorded once; remove the file only if it was made by mistake");

    // CLI13xx: decide
    public static readonly CliErrorCode DecideModeMissing = new("CLI1301", ExitCodes.Invalid, "pinned keys or draft mode", "`decide` was given neither or both of `--trusted-keys` and `--assume-in-force`", "give the pinned keys so that only agreements in force are enforced, or --assume-in-force to try a draft");
    public static readonly CliErrorCode RequestFileMissing = new("CLI1302", ExitCodes.Error, "request file missing", "the request file given with `--request` does not exist", "check the path");

    // CLI14xx: gateway verbs
    public static readonly CliErrorCode WorkspaceUnavailable = new("CLI1400", ExitCodes.Error, "workspace unavailable", "`serve`: the workspace cannot be opened or created", "check the folder's path and permissions");
    public static readonly CliErrorCode ListenFailed = new("CLI1401", ExitCodes.Error, "cannot listen", "`serve`, `witness serve`: the address cannot be listened on", "choose another --urls, or stop the process that holds the port");
    public static readonly CliErrorCode GatewayUnreachable = new("CLI1402", ExitCodes.Error, "gateway unreachable", "an operator verb cannot reach the running gateway (no `gateway.url`, no `admin.key`, or the connection failed)", "start the gateway with `concordat serve --workspace DIR`, or give --url and the gateway's workspace");
    public static readonly CliErrorCode OperatorFileMissing = new("CLI1403", ExitCodes.Invalid, "file missing", "`dataset import`, `agreement upload`, `diligence upload`: the file to send does not exist", "check the path");
    public static readonly CliErrorCode ProblemWithoutCode = new("CLI1404", ExitCodes.Error, "answer without a code", "the gateway answered an error without a problem code", "check that --url names a Concordat gateway");
    public static readonly CliErrorCode UrlsInvalid = new("CLI1405", ExitCodes.Invalid, "invalid address", "`serve`, `quickstart`, `witness serve`: `--urls` is not a list of `http://` or `https://` addresses", "write e.g. `http://127.0.0.1:8080`");
    public static readonly CliErrorCode StoreUnavailable = new("CLI1406", ExitCodes.Error, "store unavailable", "`serve`: the `--store` connection string is malformed, or its PostgreSQL server cannot be reached", "check the connection string (`Host=...;Database=...;Username=...`) and that the server runs");
    public static readonly CliErrorCode ErasureInputInvalid = new("CLI1407", ExitCodes.Invalid, "no subject to erase", "`dataset erase`: neither or both of `--subject` and `--subject-file`, an empty value, or a subject file that is missing or names no identifier", "give the subject's identifiers with `--subject VALUE` (repeatable) or `--subject-file FILE` (one a line)");
    public static readonly CliErrorCode SampleMissing = new("CLI1410", ExitCodes.Error, "sample missing", "`quickstart`: no sample agreement of that name is embedded in the command", "choose one of the samples that `concordat help quickstart` lists");

    // CLI15xx: trust
    public static readonly CliErrorCode TrustKeyInvalid = new("CLI1501", ExitCodes.Invalid, "invalid verifier key", "`trust add`: the key is not a verifier key `name+hash+base64`, inline or in a `.pub` file", "give the `.pub` file `concordat key new` wrote, or its line");
    public static readonly CliErrorCode TrustSignerInvalid = new("CLI1502", ExitCodes.Invalid, "invalid signer id", "`trust add`: the signer id is not a valid id", "use the party or approver id as the agreement writes it");

    // CLI16xx: receipt
    public static readonly CliErrorCode ReceiptMismatch = new("CLI1601", ExitCodes.VerificationFailed, "receipt mismatch", "`receipt check`: the file's SHA-256, row count or byte count differs from its receipt", "fetch the rows again, and compare the receipt with the gateway's log");
    public static readonly CliErrorCode ReceiptInvalid = new("CLI1602", ExitCodes.Invalid, "receipt invalid", "`receipt check`: the receipt is not the JSON that `GET /v1/receipts/{decisionId}` answers", "save the gateway's answer as it came");

    // CLI17xx: attestations
    public static readonly CliErrorCode NothingToAttest = new("CLI1701", ExitCodes.Invalid, "nothing to attest", "`attest sign`, `attest verify`: the folder holds no file", "give a file, or a folder with at least one file");
    public static readonly CliErrorCode ArtifactIpOptionsInvalid = new("CLI1702", ExitCodes.Invalid, "IP options misused", "`attest sign`: `--ip` without `--artifact`; background or foreground IP without `--party` or with `--ip-owner`/`--licence`; third-party IP without `--ip-owner` or with `--party`; or an IP option without `--ip`", "give `--ip` and `--artifact`, with `--party` for background and foreground IP, or `--ip-owner` (and `--licence`) for third-party IP");
    // CLI173x: licence
    public static readonly CliErrorCode LicenceInputInvalid = new("CLI1730", ExitCodes.Invalid, "licence input invalid", "`licence compat`: an `--input` is neither `NAME=EXPRESSION` nor the id of a dataset of `--agreement`", "write `--input corpus@v1=CC-BY-4.0`, or give `--agreement` and a dataset id it declares");
    // CLI190x: the witness (`witness serve`)
    public static readonly CliErrorCode WitnessStateUnavailable = new("CLI1900", ExitCodes.Error, "witness state unavailable", "`witness serve`: the --state folder cannot be created, or its `witness.db` is not a witness state or is corrupt", "give a writable folder that only `witness serve` writes; restore a damaged state from a backup, never start it afresh: the witness would forget what it cosigned");
    public static readonly CliErrorCode WitnessLogKeyInvalid = new("CLI1901", ExitCodes.Invalid, "witnessed log key invalid", "`witness serve`: a --log value is not a log's verifier key (`name+hash+base64`, its name the log's origin), or the witness's own key is given as a log", "give each log's `.pub` verifier key as its operator publishes it");

    // CLI195x: evidence packs
    public static readonly CliErrorCode EvidencePeriodInvalid = new("CLI1950", ExitCodes.Invalid, "invalid period", "`evidence build`: `--from` or `--to` is not an RFC 3339 instant, or `--to` is not after `--from`", "write e.g. `--from 2026-01-01T00:00:00Z --to 2026-04-01T00:00:00Z`");
    public static readonly CliErrorCode EvidenceKeyUnreadable = new("CLI1951", ExitCodes.Invalid, "evidence key unreadable", "`evidence build`: the workspace's log key cannot be read, or `--witness-key` is not a cosigner verifier key; `evidence verify`: `--log-key` or `--witness-key` is not a verifier key", "give the `.pub` file (or `name+hash+base64` line) the operator or witness publishes; build in the workspace that holds `log.key`");
    // CLI196x: compliance artifacts and checks
    public static readonly CliErrorCode ArtifactRegistrationInvalid = new("CLI1960", ExitCodes.Invalid, "invalid artifact registration", "`artifact register`: `--kind` is not a lowercase id, or `--at` or `--expires` is not an RFC 3339 UTC instant, or `--expires` is not after the registration; `compliance check`: `--at` is not an RFC 3339 UTC instant", "write e.g. `--kind dpia --expires 2027-06-01T00:00:00Z`");
    public static readonly CliErrorCode ComplianceKeyUnreadable = new("CLI1961", ExitCodes.Invalid, "compliance key unreadable", "`compliance check`: `--witness-key` is not a cosigner verifier key, or the workspace's `log.pub` or `trusted-keys` cannot be read", "give the `.pub` file a witness publishes (`concordat key cosigner`); check the workspace's key files");
    // CLI191x: `log monitor`
    public static readonly CliErrorCode MonitorIntervalInvalid = new("CLI1910", ExitCodes.Invalid, "monitor interval invalid", "`log monitor`: --interval is not between 1 and 86400 seconds", "give the seconds between rounds, such as `--interval 60`");

    // CLI1980-CLI1983: retention; CLI1984-CLI1986: diligence
    public static readonly CliErrorCode RetentionOverdue = new("CLI1980", ExitCodes.Error, "deletion attestation overdue", "`retention status`: a recipient's deletion attestation is past its deadline", "ask the recipient to delete the data and attest it (`concordat retention attest`); the table names the egress");
    public static readonly CliErrorCode RetentionInputUnreadable = new("CLI1981", ExitCodes.Invalid, "retention input unreadable", "`retention status`: the log export or an agreement file cannot be read", "give the file `concordat log export` wrote, and the agreement versions its decisions name");
    public static readonly CliErrorCode RetentionEgressNotYours = new("CLI1982", ExitCodes.Invalid, "egress not listed for you", "`retention attest`: an `--egress` decision id is not among the egress the gateway lists for the token's recipient (`GET /v1/retention`)", "attest only the decision ids `concordat retention status --gateway` lists for you");
    public static readonly CliErrorCode RetentionSourceMissing = new("CLI1983", ExitCodes.Invalid, "no retention source", "`retention status`: neither an exported log (`--bundle` with `--agreement`) nor a gateway (`--gateway` with `--token`) was given, or both were", "give `--bundle EXPORT --agreement FILE`, or `--gateway URL --token TOKEN`");
    public static readonly CliErrorCode DiligenceNotPassed = new("CLI1984", ExitCodes.Error, "due diligence not passed", "`diligence score`: the answers do not reach a section's minimum or the overall minimum of the questionnaire's rubric", "the message names each minimum not reached; the party improves its answers (and its controls) before an assessor signs");
    public static readonly CliErrorCode DiligenceRecordMismatch = new("CLI1985", ExitCodes.VerificationFailed, "record does not match its files", "`diligence verify --questionnaire --answers`: the record's subjects are not these files' digests, or the rubric scores them otherwise than the record states", "verify against the exact files the assessor signed; a changed answer needs a new record");
    public static readonly CliErrorCode DiligenceRequirementUnmet = new("CLI1986", ExitCodes.Error, "due-diligence requirement not met", "`diligence verify --max-age-days --min-score`: the record is older than allowed, scores below the least score, or misses a rubric minimum", "have the party assessed again (`concordat diligence sign`)");

    // CLI176x: incidents and KPIs
    public static readonly CliErrorCode IncidentTimeInvalid = new("CLI1760", ExitCodes.Invalid, "invalid time", "`incident open --detected-at`, `incident notify --given-at`, `kpi --from`/`--to`: the value is not an RFC 3339 time", "write e.g. `2026-11-21T09:30:00Z` or `2026-11-21T10:30:00+01:00`");
    public static readonly CliErrorCode NotificationOverdue = new("CLI1761", ExitCodes.Error, "notification overdue", "`incident status`: a notification clock of an open incident has passed its deadline without the notification given", "notify whom the clock names now, then record it with `concordat incident notify`");
    public static readonly CliErrorCode KpiLogUnreadable = new("CLI1762", ExitCodes.Invalid, "log export unreadable", "`kpi --bundle`: the file is not a log export (`concordat log export`), or an entry line is malformed", "give the file `concordat log export` wrote; `concordat log verify --bundle` names what is wrong with it");
    public static readonly CliErrorCode StixIncidentNotInLog = new("CLI1763", ExitCodes.Error, "incident not in the log", "`incident export-stix`: no entry of the log read opens this incident", "list the incidents with `concordat incident status --all`; with `--bundle`, export the log after the incident was opened");
    public static readonly CliErrorCode StixBundleUnreadable = new("CLI1764", ExitCodes.Invalid, "bundle file missing", "`incident import-stix`: the bundle file does not exist", "give the path of the partner's STIX bundle (JSON)");
    public static readonly CliErrorCode DrillInvalid = new("CLI1765", ExitCodes.Invalid, "drill cannot run", "`incident drill`: the workspace has no log in SQLite (a drill copies a workspace of the embedded store), or `--timeout` is not 1 to 3600 seconds", "run the drill on a workspace `concordat serve` keeps in SQLite, with a timeout in seconds");
    public static readonly CliErrorCode DrillNotDetected = new("CLI1766", ExitCodes.Error, "drill not detected", "`incident drill`: the detectors raised no alert for the recipient within the timeout after the drill's denied requests", "check the workspace's `detection.json` thresholds (`minimumDenies`, `minimumDenyShare`, `spikeFactor`): the drill shows that they would miss this traffic");

    // CLI18xx: Delta Sharing and the exit export
    public static readonly CliErrorCode ProfileExists = new("CLI1800", ExitCodes.Error, "profile exists", "`share profile`: the profile file already exists; a profile, which holds a secret, is never overwritten", "choose another --out, or remove the old profile (and revoke its identity with `concordat identity revoke`)");
    public static readonly CliErrorCode ExportExists = new("CLI1801", ExitCodes.Error, "export folder not empty", "`export`: the --out folder exists and is not empty (or is a file); an export is never written over anything", "choose a new --out, or remove the folder");
    public static readonly CliErrorCode ImportNotAnExport = new("CLI1802", ExitCodes.Invalid, "not an export", "`import`: the --from folder is not one `concordat export` wrote (no `agreements.json` or no `log/log-export.json`), or a file in it does not read", "give the folder `concordat export --out` wrote, whole");
    public static readonly CliErrorCode ImportWorkspaceNotEmpty = new("CLI1803", ExitCodes.Error, "import workspace not empty", "`import`: the --workspace folder exists and is not empty, or its store already holds a log; a re-import never writes over a workspace", "choose a new --workspace");
    public static readonly CliErrorCode ImportMismatch = new("CLI1804", ExitCodes.VerificationFailed, "import does not match the export", "`import`: what was rebuilt does not match what the export states: the log's root differs from the export's root hash, or a dataset version's rows do not hash to its manifest; nothing is kept", "export the workspace again; a changed export file is not re-imported");

    // CLI174x: models
    public static readonly CliErrorCode ModelIpOwnerInvalid = new("CLI1741", ExitCodes.Invalid, "IP owner option misused", "`model register`: `--ip third-party` without `--ip-owner`, or `--ip-owner` with background or foreground IP", "name the external owner of third-party IP with `--ip-owner`; for background and foreground IP the agreements' terms name the owners");
    public static readonly CliErrorCode ModelCardNotAModel = new("CLI1742", ExitCodes.Invalid, "not a model attestation", "`model card`: the attestation's predicate type is not `model/v1`", "give the attestation `concordat model register` wrote for the model");
    public static readonly CliErrorCode ModelInstantInvalid = new("CLI1740", ExitCodes.Invalid, "registration time invalid", "`model register`: `--at` is not an RFC 3339 UTC instant", "write the instant as `2026-03-04T05:06:07Z`, or leave `--at` out for now");

    // CLI175x: lineage
    public static readonly CliErrorCode LineageSubjectInvalid = new("CLI1750", ExitCodes.Invalid, "lineage subject invalid", "`lineage impact`: the subject is not `dataset@version` with a version from 1", "write the dataset version as `cardiology-records@3`");
    public static readonly CliErrorCode LineageSubjectUnknown = new("CLI1751", ExitCodes.Error, "lineage subject unknown", "`lineage show`: the subject is neither a model given with `--model`, an egress nor a dataset version the log holds (as of the tree size read)", "give the model's attestation with `--model` and its signer's key with `--trust`, or check the name and `--as-of`");
    public static readonly CliErrorCode LineageSourceMissing = new("CLI1752", ExitCodes.Invalid, "lineage source missing", "`lineage`: neither or both of `--workspace` and `--log` were given", "give the workspace whose log to read, or `--log` with an exported log and `--log-key`");
    public static readonly CliErrorCode LineageCheckpointInvalid = new("CLI1753", ExitCodes.VerificationFailed, "lineage checkpoint invalid", "`lineage --as-of`: the file is not a checkpoint signed by the log's key, or not of the log read (its tree size or root hash differs)", "give a checkpoint the log signed (`GET /v1/log/checkpoint`, `log checkpoint`) and the log's verifier key");
    #endregion
}
