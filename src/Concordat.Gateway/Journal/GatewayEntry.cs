using System.Text.Json;
using System.Text.Json.Serialization;
using Concordat.Log;
using Concordat.Privacy.Accounting;

namespace Concordat.Gateway.Journal;

/// <summary>
/// One entry the gateway writes to the transparency log. Every entry names its type and the version of its
/// shape, so that readers can replay any entry written by any version.
/// </summary>
/// <remarks>
/// Security: entries carry ids, digests and counts, never a secret, a bearer value, a key or a row of data.
/// </remarks>
// CAUTION: persisted/public format; see docs/formats/gateway-entries.md
internal abstract record GatewayEntry([property: JsonIgnore] DateTimeOffset At)
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new UtcTimeConverter() },
    };

    private static readonly Dictionary<Type, string> s_types = new()
    {
        [typeof(DecisionEntry)] = "gateway.decision/v1",
        [typeof(TokenIssuedEntry)] = "gateway.token-issued/v1",
        [typeof(TokenRevokedEntry)] = "gateway.token-revoked/v1",
        [typeof(EgressEntry)] = "gateway.egress/v1",
        [typeof(RefusalEntry)] = "gateway.refusal/v1",
        [typeof(SealEntry)] = "gateway.seal/v1",
        [typeof(UnsealEntry)] = "gateway.unseal/v1",
        [typeof(IdentityEntry)] = "gateway.identity-created/v1",
        [typeof(IdentityRevokedEntry)] = "gateway.identity-revoked/v1",
        [typeof(AgreementEntry)] = "gateway.agreement/v1",
        [typeof(DatasetImportEntry)] = "gateway.dataset-import/v1",
        [typeof(AttestationEntry)] = "gateway.attestation/v1",
        [typeof(AlertEntry)] = "gateway.alert/v1",
        [typeof(IncidentOpenedEntry)] = "gateway.incident-opened/v1",
        [typeof(IncidentActEntry)] = "gateway.incident-act/v1",
        [typeof(ReportReceivedEntry)] = "gateway.report-received/v1",
        [typeof(AggregateQueryEntry)] = PrivacySpendEntry.EntryType,
        [typeof(DeletionAttestedEntry)] = Concordat.Retention.RetentionLedger.DeletionAttestedType,
        [typeof(DiligenceRecordedEntry)] = "gateway.diligence-recorded/v1",
        [typeof(ErasureEntry)] = Concordat.Retention.RetentionLedger.ErasureType,
    };

    /// <summary>Gets the serializer options entries are written with.</summary>
    public static JsonSerializerOptions SerializerOptions => s_options;

    /// <summary>Gets the versioned log entry type, such as <c>gateway.decision/v1</c>.</summary>
    [JsonIgnore]
    public string EntryType => s_types[GetType()];

    /// <summary>Returns the log entry: type, time and this entry's fields as the body.</summary>
    public virtual LogEntry ToLogEntry() => LogEntry.Create(EntryType, At, JsonSerializer.SerializeToElement(this, GetType(), s_options));
}

/// <summary>
/// A decision: who asked what, the effect and the clauses that caused it; for a permitted read of rows, the dataset
/// version that will be served and its manifest's digest.
/// </summary>
internal sealed record DecisionEntry(
    DateTimeOffset At,
    string DecisionId,
    string Recipient,
    string? ClientId,
    string Dataset,
    string Purpose,
    string Jurisdiction,
    string Action,
    string Effect,
    string? Agreement,
    string? AgreementDigest,
    IReadOnlyList<string> Reasons,
    JsonElement? Record,
    int? DatasetVersion = null,
    string? Manifest = null) : GatewayEntry(At);

/// <summary>A token issued on a permit.</summary>
internal sealed record TokenIssuedEntry(DateTimeOffset At, string TokenId, string DecisionId, string Recipient, string ClientId, DateTimeOffset ExpiresAt) : GatewayEntry(At);

/// <summary>A token revoked by its holder or the operator.</summary>
internal sealed record TokenRevokedEntry(DateTimeOffset At, string TokenId, string Recipient, string By) : GatewayEntry(At);

/// <summary>
/// What left under a decision: the dataset version and manifest served, rows, rows withheld by the row rules, bytes
/// written and the SHA-256 of exactly those bytes, and the obligations carried out (<see cref="Concordat.Decisions.DecisionNames.ToEgressNames"/>).
/// </summary>
/// <remarks>
/// <see cref="BytesWritten"/> counts the bytes written to the response body, that is handed to the server to send;
/// not bytes the recipient is known to have received (a stopped stream may lose its last ones). Entries written before
/// it had its name call it <c>bytes</c>.
/// </remarks>
internal sealed record EgressEntry(
    DateTimeOffset At,
    string DecisionId,
    string TokenId,
    string Recipient,
    string Dataset,
    string Format,
    long? Rows,
    long BytesWritten,
    string Sha256,
    bool Completed,
    string? StoppedBy,
    int DatasetVersion,
    string Manifest,
    long RowsWithheldByConsent,
    long RowsWithheldByResidency,
    IReadOnlyList<string> Obligations) : GatewayEntry(At)
{
    /// <summary>Gets the fetch id of a Delta Sharing file fetch (<c>{decisionId}.f{hex}</c>), whose receipt and attestation it names; null for a rows stream.</summary>
    public string? FetchId { get; init; }

    /// <summary>Gets the first byte of the file a Delta Sharing file fetch sent (0 for the whole file); null for a rows stream.</summary>
    public long? RangeOffset { get; init; }
}

/// <summary>A request refused before or without a decision: no token, expired, revoked, sealed, bad input, rate limit.</summary>
/// <remarks>
/// <see cref="Count"/> is set on rate-limit refusals only (<c>GW6010</c>), which are aggregated: the entry stands for
/// itself and every 429 of the same caller since that caller's previous rate-limit entry; the other fields are those
/// of the refusal that wrote it.
/// </remarks>
internal sealed record RefusalEntry(
    DateTimeOffset At,
    string Code,
    int Status,
    string Route,
    string? Recipient,
    string? ClientId,
    string? TokenId,
    string? DecisionId,
    int? Count = null) : GatewayEntry(At);

/// <summary>
/// A recipient sealed: everything revoked at once, with the measured time to enforcement; <paramref name="Alert"/> is
/// the log index of the alert that sealed it at once (<c>incidents.autoSealAlerts</c>), <paramref name="IncidentId"/>
/// the incident whose seal step it is; both absent on the operator's own seal.
/// </summary>
internal sealed record SealEntry(DateTimeOffset At, string Recipient, string Reason, int TokensRevoked, int IdentitiesRevoked, int StreamsStopped, double EnforcementMilliseconds, long? Alert = null, string? IncidentId = null) : GatewayEntry(At);

/// <summary>A seal lifted, explicitly, by the operator.</summary>
internal sealed record UnsealEntry(DateTimeOffset At, string Recipient, string Reason) : GatewayEntry(At);

/// <summary>A service identity created for a recipient (the secret never appears).</summary>
internal sealed record IdentityEntry(DateTimeOffset At, string ClientId, string Recipient, string Role) : GatewayEntry(At);

/// <summary>A service identity revoked by the operator, with the number of its tokens revoked with it.</summary>
internal sealed record IdentityRevokedEntry(DateTimeOffset At, string ClientId, string Recipient, int TokensRevoked) : GatewayEntry(At);

/// <summary>An agreement version uploaded, activated, superseded, terminated (with <paramref name="EffectiveAt"/>) or rejected.</summary>
internal sealed record AgreementEntry(DateTimeOffset At, string Agreement, int Version, string Digest, string State, int? Supersedes, IReadOnlyList<string> Codes, DateTimeOffset? EffectiveAt = null, string? SupersedesDigest = null, string? DiffDigest = null, bool? GrantsMore = null) : GatewayEntry(At);

/// <summary>A dataset version imported; <see cref="Version"/> is its number, as every other entry writes a version.</summary>
internal sealed record DatasetImportEntry(DateTimeOffset At, string Dataset, int Version, string Manifest, long Rows) : GatewayEntry(At);

/// <summary>
/// An attestation the gateway signed: its kind, predicate type and subjects, the SHA-256 of the envelope exactly as
/// served, the key id that signed it, and what it is about (a dataset version, an egress decision and recipient, or a
/// model as <c>name@version</c>).
/// </summary>
/// <remarks>The envelope itself is served by <c>GET /v1/attestations/…</c>; the entry commits to its bytes.</remarks>
internal sealed record AttestationEntry(
    DateTimeOffset At,
    string Kind,
    string PredicateType,
    IReadOnlyList<AttestedSubject> Subjects,
    string Envelope,
    string KeyId,
    string? Dataset = null,
    int? Version = null,
    string? DecisionId = null,
    string? Recipient = null,
    string? FetchId = null,
    string? Model = null) : GatewayEntry(At);

/// <summary>A subject of an attested statement: its name and SHA-256 digest (<c>sha256:&lt;hex&gt;</c>).</summary>
internal sealed record AttestedSubject(string Name, string Sha256);

/// <summary>
/// An alert a detector raised (docs/design/incidents.md#detection): its name in the alert vocabulary, the recipient
/// and identity it concerns, the time of the first anomalous entry (where time-to-detect starts), the value observed
/// and the threshold it reached; <paramref name="AutoSeal"/> names the agreements whose <c>incidents.autoSealAlerts</c>
/// seal the recipient at once for it; <paramref name="AlertId"/> is its deterministic id (<c>AlertIds</c>), which no
/// other alert entry of the log carries.
/// </summary>
internal sealed record AlertEntry(
    DateTimeOffset At,
    string Alert,
    string Recipient,
    string? ClientId,
    DateTimeOffset FirstAnomalousAt,
    double Observed,
    double Threshold,
    string? Subject,
    IReadOnlyList<string> AutoSeal,
    string? AlertId = null) : GatewayEntry(At);

/// <summary>
/// An incident opened (docs/design/incidents.md#the-incident-and-its-acts): by the operator, or by an alert for triage
/// (then <paramref name="Actor"/> is <c>gateway</c> and <paramref name="Alerts"/> names it). <paramref name="Drill"/> is
/// set on a drill's incident, which never counts as a real one.
/// </summary>
internal sealed record IncidentOpenedEntry(
    DateTimeOffset At,
    string IncidentId,
    string Severity,
    string Suspected,
    string TriageOwner,
    DateTimeOffset DetectedAt,
    IReadOnlyList<string> Agreements,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<string> Datasets,
    IReadOnlyList<long> Alerts,
    string Actor,
    bool? Drill = null) : GatewayEntry(At);

/// <summary>
/// One act of the playbook on an incident: <c>seal</c>, <c>snapshot</c>, <c>notify</c> (to <paramref name="Whom"/>, given
/// at <paramref name="GivenAt"/>), <c>remediate</c> or <c>close</c> (with the postmortem's root cause, fixes and policy
/// changes).
/// </summary>
internal sealed record IncidentActEntry(
    DateTimeOffset At,
    string IncidentId,
    string Act,
    string Actor,
    string? Detail = null,
    string? Whom = null,
    DateTimeOffset? GivenAt = null,
    string? RootCause = null,
    IReadOnlyList<string>? Fixes = null,
    IReadOnlyList<string>? PolicyChanges = null) : GatewayEntry(At);

/// <summary>
/// A vulnerability or abuse report taken in (<c>POST /v1/reports</c>): its id, the incident opened to triage it, its
/// kind, who sent it (<c>anonymous</c> or a recipient), the agreement it names, the SHA-256 of the report as stored in
/// the workspace, the SHA-256 of the follow-up secret, and the acknowledgement and response deadlines set at receipt.
/// </summary>
/// <remarks>Security: the reporter's words stay in the workspace; the log holds only their digest.</remarks>
internal sealed record ReportReceivedEntry(
    DateTimeOffset At,
    string ReportId,
    string IncidentId,
    string Kind,
    string Reporter,
    string? Agreement,
    string ContentSha256,
    string SecretSha256,
    DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? RespondBy) : GatewayEntry(At);

/// <summary>
/// One aggregate query's privacy spend: the query's digest, each noisy release's mechanism, parameter, sensitivity and
/// ρ, and the budget after it; never a true or noisy value. The library writes the body (<see cref="PrivacySpendEntry"/>),
/// so <c>concordat budget recompute</c> reads back exactly what the gateway charged.
/// </summary>
internal sealed record AggregateQueryEntry(PrivacySpend Spend, BudgetStatus After) : GatewayEntry(Spend.At)
{
    /// <inheritdoc />
    public override LogEntry ToLogEntry() => PrivacySpendEntry.ToLogEntry(Spend, After);
}

/// <summary>
/// A recipient's deletion attestation the gateway verified and accepted (docs/design/retention.md): the recipient, the
/// egress it deleted (by decision id), the instant it says deletion was complete, the SHA-256 of the envelope exactly as
/// uploaded and the key id that signed it. The envelope itself is kept in the workspace.
/// </summary>
internal sealed record DeletionAttestedEntry(
    DateTimeOffset At,
    string Recipient,
    IReadOnlyList<string> DecisionIds,
    DateTimeOffset DeletedAt,
    string Envelope,
    string KeyId) : GatewayEntry(At);

/// <summary>
/// A due-diligence record the operator uploaded and the gateway verified (docs/design/due-diligence.md): the party
/// scored, the questionnaire and its version, the overall score (decimal text), whether every minimum was reached, the
/// assessor and when it assessed, the SHA-256 of the envelope exactly as uploaded and the key id that signed it. The
/// envelope itself is kept in the workspace.
/// </summary>
internal sealed record DiligenceRecordedEntry(
    DateTimeOffset At,
    string Party,
    string Questionnaire,
    int Version,
    string Overall,
    bool Passed,
    string Assessor,
    DateTimeOffset AssessedAt,
    string Envelope,
    string KeyId) : GatewayEntry(At);

/// <summary>
/// The erasure of a data subject from a dataset (docs/design/erasure.md): each stored version rewritten without the
/// subject's rows (its old and new manifest digests and the rows removed), how many identifiers the subject was given
/// by, the keyed commitment to them whose key no longer exists, the egress found to have carried the subject (by
/// decision id; their recipients must attest deletion again), and the SHA-256 of the signed erasure record.
/// </summary>
/// <remarks>Security: never an identifier of the subject; the commitment cannot be linked to one once its key is gone.</remarks>
internal sealed record ErasureEntry(
    DateTimeOffset At,
    string Dataset,
    IReadOnlyList<ErasedVersion> Versions,
    int Subjects,
    string SubjectCommitment,
    IReadOnlyList<string> DecisionIds,
    string Envelope) : GatewayEntry(At);

/// <summary>One stored version an erasure rewrote: the digest of the manifest it had, of the one that replaced it, and the rows removed.</summary>
internal sealed record ErasedVersion(int Version, string PreviousManifest, string Manifest, long RowsRemoved);
