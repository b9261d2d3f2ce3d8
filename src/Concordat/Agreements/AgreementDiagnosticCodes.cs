using Concordat.Core;

namespace Concordat.Agreements;

/// <summary>
/// The stable diagnostic codes of the agreement language, each with its title, meaning and fix: AGR1xxx syntax,
/// AGR20xx validation, AGR30xx lint, AGR31xx signatures and status, AGR34xx amendments, AGR350x clean-room terms, AGR355x retention and due diligence. docs/errors.md shows the same words.
/// </summary>
// CAUTION: persisted/public format; codes are stable forever; see docs/errors.md
public static class AgreementDiagnosticCodes
{
    #region AGR codes (stable; docs/errors.md)
#pragma warning disable CS1591 // Each entry documents itself: its title, meaning and fix are its arguments.
    // AGR1xxx: YAML syntax and the rules of the text
    public static readonly ErrorCode YamlSyntax = new("AGR1001", "invalid YAML", "the text is not well-formed YAML", "fix the YAML at the reported place; nothing after it was read");
    public static readonly ErrorCode DuplicateKey = new("AGR1002", "duplicate key", "a mapping gives the same key twice", "keep one of the two keys");
    public static readonly ErrorCode AnchorOrAlias = new("AGR1003", "anchor or alias", "an anchor or alias is used", "write the value out in full");
    public static readonly ErrorCode CustomTag = new("AGR1004", "explicit tag", "an explicit tag is used", "remove the tag; quote the value to make it a string");
    public static readonly ErrorCode SeveralDocuments = new("AGR1005", "several documents", "the file holds more than one YAML document", "keep one agreement per file; remove `---`");
    public static readonly ErrorCode EmptyDocument = new("AGR1006", "empty document", "the file holds no document", "start the file with `concordat: 1`");
    public static readonly ErrorCode ComplexKey = new("AGR1007", "key not a scalar", "a mapping key is not a scalar", "use plain names as keys");
    public static readonly ErrorCode FormatVersion = new("AGR1008", "unsupported format version", "the format version is missing or not supported", "write `concordat: 1`");
    public static readonly ErrorCode TooDeep = new("AGR1009", "nesting too deep", "the document nests deeper than the reader allows", "flatten the document; agreements need few levels");
    public static readonly ErrorCode NotUtf8 = new("AGR1010", "not UTF-8", "the bytes are not UTF-8; the place is the first bad byte", "save the file as UTF-8 (not Latin-1 or Windows-1252)");
    public static readonly ErrorCode ForbiddenCharacter = new("AGR1011", "forbidden character", "the text holds a control character (other than tab, line feed, carriage return) or a bidirectional control", "remove the character: what a reviewer reads must be what is signed");
    public static readonly ErrorCode TooLarge = new("AGR1012", "document too large", "the document is larger than 1 MiB", "keep data and long annexes out of the agreement");
    public static readonly ErrorCode TooManyProblems = new("AGR1013", "too many problems", "more than 200 problems were found; the rest are counted, not listed", "fix the problems listed and read the document again");

    // AGR20xx: types, references and contradictions
    public static readonly ErrorCode UnknownKey = new("AGR2001", "unknown key", "a key is not part of the language at this place", "correct the key (the help suggests the closest one) or remove it");
    public static readonly ErrorCode WrongType = new("AGR2002", "wrong type", "a value has the wrong type", "write a value of the expected type; quote strings that look like numbers");
    public static readonly ErrorCode MissingKey = new("AGR2003", "missing key", "a required key is missing", "add the key");
    public static readonly ErrorCode InvalidValue = new("AGR2004", "value not allowed", "a value has the right type but is not allowed (an unknown enum value, a malformed duration, ...)", "use an allowed value: one the message lists, a number in range, or the documented form (instant, duration, jurisdiction, SPDX, digest)");
    public static readonly ErrorCode DuplicateId = new("AGR2005", "duplicate id", "two things of one kind share an id", "give each one its own id; parties and approvers share one id space");
    public static readonly ErrorCode UndefinedParty = new("AGR2006", "undefined party", "a reference names no party", "define the party under `parties` or correct the id");
    public static readonly ErrorCode UndefinedDataset = new("AGR2007", "undefined dataset", "a reference names no dataset", "define the dataset under `datasets` or correct the id");
    public static readonly ErrorCode UndefinedField = new("AGR2008", "undefined field", "a reference names no field of the dataset", "declare the field under the dataset's `fields` or correct the name");
    public static readonly ErrorCode UndefinedPurpose = new("AGR2009", "undefined purpose", "a reference names no purpose", "declare the purpose under `purposes`");
    public static readonly ErrorCode UndefinedApprover = new("AGR2010", "undefined approver", "a reference names no approver", "declare the approver under `approvers`");
    public static readonly ErrorCode GrantedAndProhibited = new("AGR2011", "granted and prohibited", "a purpose is both granted and prohibited for the same recipient and dataset", "remove the purpose from the grant or narrow the prohibition: the prohibition always wins");
    public static readonly ErrorCode ConflictingFieldRules = new("AGR2012", "conflicting field rules", "a field has more than one rule in a grant", "keep one rule per field");
    public static readonly ErrorCode GrantWindowOutside = new("AGR2013", "grant window outside the agreement", "a grant's window reaches outside the agreement's effective window", "keep the grant window inside `effective`");
    public static readonly ErrorCode NotARecipient = new("AGR2014", "not a recipient", "a grant's recipient is a party without the recipient role", "add the `recipient` role to the party or grant to another party");
    public static readonly ErrorCode AggregateTermsWithoutAggregate = new("AGR2015", "aggregate terms without aggregate action", "aggregate terms (privacy budget, minimum group size) on a grant without the aggregate action", "add `aggregate-query` to the grant's actions or remove the aggregate terms");
    public static readonly ErrorCode RetentionBeyondTermination = new("AGR2016", "retention beyond termination", "retention outlives what termination allows", "lower `retention.daysAfterEgress` or raise `termination.deleteWithinDays`");
    public static readonly ErrorCode OverlappingGrants = new("AGR2017", "overlapping grants", "two grants overlap (warning): the most restrictive obligations apply", "merge the grants or make them disjoint; meanwhile the most restrictive obligations apply");
    public static readonly ErrorCode InvalidKey = new("AGR2018", "not a verifier key", "a key is not a C2SP signed-note verifier key", "paste the `.pub` file written by `concordat key new`");
    public static readonly ErrorCode PurposeCycle = new("AGR2019", "purpose cycle", "the purpose vocabulary has a cycle of broader purposes", "remove one `broader` link of the cycle");
    public static readonly ErrorCode EmptyWindow = new("AGR2020", "empty window", "a window ends before it starts", "make `until` later than `from`");
    public static readonly ErrorCode ForegroundOwner = new("AGR2021", "foreground owner mismatch", "foreground ownership and the named owner do not agree", "with `foreground: party` give `foregroundOwner`, otherwise remove it");
    public static readonly ErrorCode RowRuleWithoutColumn = new("AGR2022", "row rule without column", "a row rule needs a column the dataset does not name", "add `consentField` / `residencyField` to the dataset");
    public static readonly ErrorCode NotASubprocessor = new("AGR2023", "not a subprocessor", "a grant's subprocessor is a party without the subprocessor or processor role", "add the `subprocessor` role to the party");
    public static readonly ErrorCode EmptyProhibition = new("AGR2024", "empty prohibition", "a prohibition names no condition and would forbid everything", "say what is forbidden");
    public static readonly ErrorCode DuplicateEntry = new("AGR2025", "repeated entry", "a set-like list names the same value twice (warning)", "remove the repeated entry");
    public static readonly ErrorCode UndefinedAttribute = new("AGR2026", "undefined attribute", "a condition or an `attributes` mapping names an attribute that is neither built in nor declared", "correct the name, or declare the attribute under `attributes` with its type");
    public static readonly ErrorCode ConditionTypeMismatch = new("AGR2027", "condition type mismatch", "a condition compares values of incompatible types, or a literal is not a value of the type it is compared with", "compare values of one type: levels with levels of the same scale, instants with instants, a value with a set of such values");
    public static readonly ErrorCode ConditionSyntax = new("AGR2028", "malformed condition", "a condition's text is not well formed", "write comparisons joined by `and`, `or` and `not`, such as `dataset.sensitivity <= recipient.clearance`");
    public static readonly ErrorCode UndefinedCollectionOrGroup = new("AGR2029", "undefined collection or group", "a reference names no collection of datasets or group of parties", "define it under `collections` or `groups`, or correct the id");
    public static readonly ErrorCode UnknownAlert = new("AGR2040", "unknown alert", "`incidents.autoSealAlerts` names an alert that is not in the alert vocabulary, so it would never seal", "name alerts from the vocabulary in docs/design/incidents.md, such as `volume-spike` or `token-burst`");

    // AGR30xx: lint by partnership model and engagement kind (warnings)
    public static readonly ErrorCode LintNoPublication = new("AGR3001", "no publication terms", "research and development without publication terms", "add `publication`");
    public static readonly ErrorCode LintNoForegroundIp = new("AGR3002", "no foreground-IP rule", "research and development, or a joint venture, without a foreground-IP rule", "add `intellectualProperty.foreground`");
    public static readonly ErrorCode LintNoBreachDeadline = new("AGR3003", "no breach deadline", "personal data without a breach-notification deadline", "add `breachNotificationHours` (GDPR Art. 33: 72)");
    public static readonly ErrorCode LintNoDpia = new("AGR3004", "no DPIA", "EU or EEA personal data without a DPIA artifact", "add an artifact `{ kind: dpia, digest: ... }`");
    public static readonly ErrorCode LintNoServiceLevels = new("AGR3005", "no service levels", "a technology partnership without service levels or API terms", "add `serviceLevels`");
    public static readonly ErrorCode LintNoAudit = new("AGR3006", "no audit terms", "a consortium or federated data trust without audit terms", "add `audit: { allowed: true }`");
    public static readonly ErrorCode LintNoRetention = new("AGR3007", "no retention terms", "personal data without retention terms", "add `retention`");
    public static readonly ErrorCode LintClearIdentifier = new("AGR3008", "direct identifier in the clear", "a grant lets a direct identifier reach the recipient unchanged", "add a field rule `drop`, `mask` or `pseudonymise`");
    public static readonly ErrorCode LintNoAttribution = new("AGR3009", "no attribution", "an open-source community partnership without attribution text", "add `publication.attribution`");
    public static readonly ErrorCode LintNoVulnerabilityDeadlines = new("AGR3010", "no vulnerability deadlines", "a red-teaming purpose without vulnerability acknowledgement and response deadlines", "add `incidents.vulnerabilityAcknowledgeHours` and `vulnerabilityResponseHours`");
    public static readonly ErrorCode LintNoTermination = new("AGR3011", "no termination terms", "an agreement without termination terms", "add `termination`");
    public static readonly ErrorCode LintNoBreachContact = new("AGR3012", "no breach contact", "personal data on a party without a breach contact", "add `breachContact` to the party");
    public static readonly ErrorCode LintNoLicence = new("AGR3013", "no licence", "a dataset without a licence where the partnership is an open-source community", "add `licence` to the dataset's tags");

    // AGR302x: data roles per purpose against the grants (warnings of `concordat agreement lint`)
    public static readonly ErrorCode LintProcessorDecides = new("AGR3020", "processor decides a purpose", "a grant lets a party use data for a purpose it is only the processor of, and no other party is that purpose's controller or joint controller: the processor would decide why and how the data is used (warning)", "give the party that decides the purpose `dataRoles: { PURPOSE: controller }`, or make the grantee its controller");
    public static readonly ErrorCode LintGranteeWithoutDataRole = new("AGR3021", "grantee without a data role", "the agreement declares data roles, but a grant's recipient has none for a purpose of the grant (warning)", "add `dataRoles: { PURPOSE: ROLE }` to the party, ROLE one of `controller`, `processor`, `joint-controller`");
    public static readonly ErrorCode LintNoController = new("AGR3022", "purpose with no controller", "a purpose the agreement grants or gives data roles for has no controller and no joint controller (warning)", "give one party `controller`, or two or more `joint-controller`, for the purpose");
    public static readonly ErrorCode LintLoneJointController = new("AGR3023", "lone joint controller", "a purpose has exactly one joint controller: joint control needs at least two parties (GDPR Art. 26) (warning)", "name the other joint controller, or make the party the purpose's `controller`");
    public static readonly ErrorCode LintControllersDisagree = new("AGR3024", "several controllers", "a purpose has more than one `controller`, or a `controller` beside joint controllers: parties that decide a purpose together are joint controllers (warning)", "make them all `joint-controller` (with an Art. 26 arrangement), or keep one `controller`");
    public static readonly ErrorCode LintDataRoleContradictsPartyRoles = new("AGR3025", "data role contradicts party roles", "a party with the `gdpr-processor` role (and not `gdpr-controller`) controls a purpose, or one with `gdpr-controller` (and no processor role) is a purpose's processor (warning)", "make the party roles and `dataRoles` say the same, or drop the party-wide GDPR role");

    // AGR31xx: signatures, trusted keys, termination and status
    public static readonly ErrorCode SignatureFileInvalid = new("AGR3101", "malformed signature file", "a signature file or termination record is malformed", "write the file with `concordat agreement sign` / `terminate`");
    public static readonly ErrorCode SignatureInvalid = new("AGR3102", "signature does not verify", "a signature does not verify against the pinned key", "sign again with the pinned key, or pin the new key after checking it out of band");
    public static readonly ErrorCode SignerNotPinned = new("AGR3103", "signer not pinned", "a signer has no pinned key", "add `signer-id verifier-key` to the trusted-keys file");
    public static readonly ErrorCode KeyDiffersFromPinned = new("AGR3104", "key differs from the pinned key", "a key written in the document differs from the pinned key (warning)", "check the key out of band before pinning it; a key in the document vouches only for itself");
    public static readonly ErrorCode SignatureMissing = new("AGR3105", "signature missing", "a required signer has not signed", "run `concordat agreement sign --as SIGNER --key KEY-FILE`");
    public static readonly ErrorCode SignatureForOtherDocument = new("AGR3106", "signature for another document", "a signature is over another digest, id or version", "the document changed after signing: every signer signs the new digest");
    public static readonly ErrorCode UnexpectedSigner = new("AGR3107", "unexpected signer", "a signature is by someone who is neither a party nor an approver", "remove the signature from the signature file");
    public static readonly ErrorCode TrustedKeysInvalid = new("AGR3108", "malformed trusted-keys file", "a trusted-keys file is malformed", "write lines `signer-id verifier-key`");
    public static readonly ErrorCode TerminationInvalid = new("AGR3109", "termination does not verify", "a termination record does not verify", "the termination is ignored; record it again signed by a party");
    public static readonly ErrorCode TerminationBeforeNotice = new("AGR3110", "termination before the notice period ends", "a termination takes effect in the past, or earlier than now plus the agreement's `termination.noticeDays`", "choose an effective instant no earlier than now plus the notice period");

    // AGR34xx: amendments (`agreement diff`)
    public static readonly ErrorCode DiffOfDifferentAgreements = new("AGR3401", "different agreements", "a diff was asked between two different agreements", "give two versions of the same agreement id");
    public static readonly ErrorCode DiffTooLarge = new("AGR3402", "diff too large", "comparing the versions would decide more requests than a diff decides (20,000,000)", "compare smaller agreements, or split the grants across agreements");

    // AGR35xx: the clean room's terms (a grant's `aggregates`, a dataset's `entityKey`, a budget's lifetime cap)
    public static readonly ErrorCode AggregateDimensionNotAllowed = new("AGR3500", "field cannot be a dimension", "`aggregates.dimensions` names a field the grant drops, masks or pseudonymises, so its values cannot be listed as group keys", "group by a field the grant leaves as it is or generalises, or change its field rule");
    public static readonly ErrorCode AggregateMeasureNotAllowed = new("AGR3501", "field cannot be measured", "`aggregates.measures` names a field that is not an integer, or one the grant drops, masks, pseudonymises or generalises, so it cannot be clamped and summed", "measure an integer field the grant leaves as it is");
    public static readonly ErrorCode JoinDimensionsWithoutJoin = new("AGR3503", "recipient dimensions without a join", "`aggregates.joinDimensions` names columns of the recipient's own table, which a query reaches only through a join, but `aggregates.joinKeys` lists no field to join on", "list the field to join on in `aggregates.joinKeys`, or remove `joinDimensions`");
    public static readonly ErrorCode PartitionSelectionWithoutDelta = new("AGR3504", "partition selection without δ", "`aggregates.partitionSelection` lets queries take group keys from the data, which is (ε, δ)-DP with δ > 0, but the grant's `privacyBudget` has δ = 0 (pure DP only) or there is no budget", "give `privacyBudget` a `delta` above 0, or remove `partitionSelection`");
    public static readonly ErrorCode LintNoLifetimeBudget = new("AGR3502", "renewing budget without a lifetime cap", "a privacy budget renews every period without `lifetimeEpsilon`, so repeated queries leak without bound (warning)", "add `lifetimeEpsilon` to `privacyBudget`: the ε all periods together may spend");

    // AGR355x: retention and deletion attestations (`retention attest`)
    public static readonly ErrorCode DeletionAttestationMalformed = new("AGR3550", "malformed deletion attestation", "a deletion attestation's statement is not one `retention attest` writes: a subject not named `egress/<decision id>` or without a SHA-256 digest, no `recipient`, or `deletedAt` not an RFC 3339 UTC instant", "write the attestation with `concordat retention attest` (docs/formats/attestations.md, deletion/v1)");

    // AGR3551-AGR3553: vendor due diligence (`diligence score|sign|verify`)
    public static readonly ErrorCode QuestionnaireMalformed = new("AGR3551", "malformed questionnaire", "a due-diligence questionnaire is not as docs/formats/diligence.md specifies: a key missing or unknown, a section or question without id, a minimum outside 0 to 100, a weight outside 1 to 100, an id given twice", "fix each place the diagnostics name; every problem is reported at once");
    public static readonly ErrorCode AnswersMalformed = new("AGR3552", "malformed answers", "an answers file does not answer its questionnaire: another questionnaire or version, a question not answered, an unknown question, or an answer other than `yes`, `partial` or `no`", "answer every question of the questionnaire version once, with `yes`, `partial` or `no`");
    public static readonly ErrorCode DiligenceRecordMalformed = new("AGR3553", "malformed due-diligence record", "a signed `diligence/v1` statement lacks a member or has one of the wrong type", "sign the record with `concordat diligence sign`");
    public static readonly ErrorCode DiligenceRequiredTwice = new("AGR3554", "due diligence required twice", "two entries of `diligence` name the same party, so it is unclear which age, score and assessors hold", "merge them into one requirement per party");
    public static readonly ErrorCode DiligenceWithoutAssessor = new("AGR3555", "due diligence without an assessor", "a `diligence` requirement lists no `assessorKeys`, so no record could ever meet it", "list the verifier key of each assessor trusted for the party's record (`name+hash+base64`, as `concordat key new` writes it)");

    // AGR356x: incident service levels (`incidents.serviceLevels`)
    public static readonly ErrorCode ServiceLevelsOutOfOrder = new("AGR3560", "incident service levels out of order", "`incidents.serviceLevels` sets `contain` shorter than `acknowledge`, or `resolve` shorter than `contain` (or than `acknowledge`): a later step cannot be due before an earlier one", "make `acknowledge` ≤ `contain` ≤ `resolve`");
    public static readonly ErrorCode ServiceLevelsEmpty = new("AGR3561", "incident service levels empty", "`incidents.serviceLevels` is given but names none of `acknowledge`, `contain`, `resolve`", "set at least one term to an ISO 8601 duration such as `PT4H`, or remove `serviceLevels`");
#pragma warning restore CS1591

    #endregion
}
