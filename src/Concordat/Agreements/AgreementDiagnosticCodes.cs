namespace Concordat.Agreements;

/// <summary>
/// The stable diagnostic codes of the agreement language: AGR1xxx syntax, AGR2xxx validation, AGR3xxx lint,
/// AGR31xx signatures and status. Each is explained, with its fix, in docs/errors.md.
/// </summary>
// CAUTION: persisted/public format; codes are stable forever; see docs/errors.md
public static class AgreementDiagnosticCodes
{
    /// <summary>The text is not well-formed YAML.</summary>
    public const string YamlSyntax = "AGR1001";

    /// <summary>A mapping gives the same key twice.</summary>
    public const string DuplicateKey = "AGR1002";

    /// <summary>An anchor or alias is used.</summary>
    public const string AnchorOrAlias = "AGR1003";

    /// <summary>An explicit tag is used.</summary>
    public const string CustomTag = "AGR1004";

    /// <summary>The file holds more than one YAML document.</summary>
    public const string SeveralDocuments = "AGR1005";

    /// <summary>The file holds no document.</summary>
    public const string EmptyDocument = "AGR1006";

    /// <summary>A mapping key is not a scalar.</summary>
    public const string ComplexKey = "AGR1007";

    /// <summary>The format version is missing or not supported.</summary>
    public const string FormatVersion = "AGR1008";

    /// <summary>The document nests deeper than the reader allows.</summary>
    public const string TooDeep = "AGR1009";

    /// <summary>The bytes are not UTF-8.</summary>
    public const string NotUtf8 = "AGR1010";

    /// <summary>The text holds a character that is not allowed: a control character other than tab, line feed and carriage return, or a bidirectional control.</summary>
    public const string ForbiddenCharacter = "AGR1011";

    /// <summary>The document is larger than the reader allows.</summary>
    public const string TooLarge = "AGR1012";

    /// <summary>The document has more problems than are reported; the rest were left out.</summary>
    public const string TooManyProblems = "AGR1013";

    /// <summary>A key is not part of the language at this place.</summary>
    public const string UnknownKey = "AGR2001";

    /// <summary>A value has the wrong type.</summary>
    public const string WrongType = "AGR2002";

    /// <summary>A required key is missing.</summary>
    public const string MissingKey = "AGR2003";

    /// <summary>A value has the right type but is not allowed (an unknown enum value, a malformed duration, ...).</summary>
    public const string InvalidValue = "AGR2004";

    /// <summary>Two things of one kind share an id.</summary>
    public const string DuplicateId = "AGR2005";

    /// <summary>A reference names no party.</summary>
    public const string UndefinedParty = "AGR2006";

    /// <summary>A reference names no dataset.</summary>
    public const string UndefinedDataset = "AGR2007";

    /// <summary>A reference names no field of the dataset.</summary>
    public const string UndefinedField = "AGR2008";

    /// <summary>A reference names no purpose.</summary>
    public const string UndefinedPurpose = "AGR2009";

    /// <summary>A reference names no approver.</summary>
    public const string UndefinedApprover = "AGR2010";

    /// <summary>A purpose is both granted and prohibited for the same recipient and dataset.</summary>
    public const string GrantedAndProhibited = "AGR2011";

    /// <summary>A field has more than one rule in a grant.</summary>
    public const string ConflictingFieldRules = "AGR2012";

    /// <summary>A grant's window reaches outside the agreement's effective window.</summary>
    public const string GrantWindowOutside = "AGR2013";

    /// <summary>A grant's recipient is a party without the recipient role.</summary>
    public const string NotARecipient = "AGR2014";

    /// <summary>Aggregate terms (privacy budget, minimum group size) on a grant without the aggregate action.</summary>
    public const string AggregateTermsWithoutAggregate = "AGR2015";

    /// <summary>Retention outlives what termination allows.</summary>
    public const string RetentionBeyondTermination = "AGR2016";

    /// <summary>Two grants overlap (warning): the most restrictive obligations apply.</summary>
    public const string OverlappingGrants = "AGR2017";

    /// <summary>A key is not a C2SP signed-note verifier key.</summary>
    public const string InvalidKey = "AGR2018";

    /// <summary>The purpose vocabulary has a cycle of broader purposes.</summary>
    public const string PurposeCycle = "AGR2019";

    /// <summary>A window ends before it starts.</summary>
    public const string EmptyWindow = "AGR2020";

    /// <summary>Foreground ownership and the named owner do not agree.</summary>
    public const string ForegroundOwner = "AGR2021";

    /// <summary>A row rule needs a column the dataset does not name.</summary>
    public const string RowRuleWithoutColumn = "AGR2022";

    /// <summary>A grant's subprocessor is a party without the subprocessor or processor role.</summary>
    public const string NotASubprocessor = "AGR2023";

    /// <summary>A prohibition names no condition and would forbid everything.</summary>
    public const string EmptyProhibition = "AGR2024";

    /// <summary>A set-like list names the same value twice (warning).</summary>
    public const string DuplicateEntry = "AGR2025";

    /// <summary>Research and development without publication terms.</summary>
    public const string LintNoPublication = "AGR3001";

    /// <summary>Research and development, or a joint venture, without a foreground-IP rule.</summary>
    public const string LintNoForegroundIp = "AGR3002";

    /// <summary>Personal data without a breach-notification deadline.</summary>
    public const string LintNoBreachDeadline = "AGR3003";

    /// <summary>EU or EEA personal data without a DPIA artifact.</summary>
    public const string LintNoDpia = "AGR3004";

    /// <summary>A technology partnership without service levels or API terms.</summary>
    public const string LintNoServiceLevels = "AGR3005";

    /// <summary>A consortium or federated data trust without audit terms.</summary>
    public const string LintNoAudit = "AGR3006";

    /// <summary>Personal data without retention terms.</summary>
    public const string LintNoRetention = "AGR3007";

    /// <summary>A grant lets a direct identifier reach the recipient unchanged.</summary>
    public const string LintClearIdentifier = "AGR3008";

    /// <summary>An open-source community partnership without attribution text.</summary>
    public const string LintNoAttribution = "AGR3009";

    /// <summary>A red-teaming purpose without vulnerability acknowledgement and response deadlines.</summary>
    public const string LintNoVulnerabilityDeadlines = "AGR3010";

    /// <summary>No termination terms.</summary>
    public const string LintNoTermination = "AGR3011";

    /// <summary>Personal data on a party without a breach contact.</summary>
    public const string LintNoBreachContact = "AGR3012";

    /// <summary>A dataset without a licence where the partnership is an open-source community.</summary>
    public const string LintNoLicence = "AGR3013";

    /// <summary>A signature file or termination record is malformed.</summary>
    public const string SignatureFileInvalid = "AGR3101";

    /// <summary>A signature does not verify against the pinned key.</summary>
    public const string SignatureInvalid = "AGR3102";

    /// <summary>A signer has no pinned key.</summary>
    public const string SignerNotPinned = "AGR3103";

    /// <summary>A key written in the document differs from the pinned key (warning).</summary>
    public const string KeyDiffersFromPinned = "AGR3104";

    /// <summary>A required signer has not signed.</summary>
    public const string SignatureMissing = "AGR3105";

    /// <summary>A signature is over another digest, id or version.</summary>
    public const string SignatureForOtherDocument = "AGR3106";

    /// <summary>A signature is by someone who is neither a party nor an approver.</summary>
    public const string UnexpectedSigner = "AGR3107";

    /// <summary>A trusted-keys file is malformed.</summary>
    public const string TrustedKeysInvalid = "AGR3108";

    /// <summary>A termination record does not verify.</summary>
    public const string TerminationInvalid = "AGR3109";
}
