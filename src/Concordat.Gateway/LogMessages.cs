using Concordat.Store.Revocation;

namespace Concordat.Gateway;

/// <summary>
/// Every log message of the gateway, declared once with a stable event id (range 6000-6999).
/// </summary>
/// <remarks>
/// <para>Security: no message takes a secret, a bearer value, a key or row data as a parameter; ids, codes and counts only.</para>
/// <para>Events 6015, 6016 and 6018 are the PostgreSQL revocation feed's, declared in Concordat.Storage.Postgres.</para>
/// </remarks>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "gateway listening on {Urls} with workspace {Workspace} ({Store} store), started in {Milliseconds} ms")]
    public static partial void Started(ILogger logger, string urls, string workspace, string store, long milliseconds);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "{Count} agreement version(s) in force")]
    public static partial void PolicyLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "agreement {Agreement} version {Version} is marked active but no longer checks out (document or signatures changed): not enforced")]
    public static partial void AgreementNotEnforced(ILogger logger, string agreement, int version);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "refused {Code}: {Method} {Route}")]
    public static partial void Refused(ILogger logger, string code, string method, string route);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "transparency log pushed back; answering 503 with Retry-After {Seconds} s")]
    public static partial void LogPushback(ILogger logger, int seconds);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "decision {DecisionId}: {Effect} for recipient {Recipient} on dataset {Dataset}")]
    public static partial void Decided(ILogger logger, string decisionId, string effect, string recipient, string dataset);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "token {TokenId} issued to {ClientId} until {ExpiresAt}")]
    public static partial void TokenIssued(ILogger logger, string tokenId, string clientId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "token {TokenId} revoked")]
    public static partial void TokenRevoked(ILogger logger, string tokenId);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Warning, Message = "recipient {Recipient} sealed: {Tokens} token(s), {Identities} identity(ies) revoked, {Streams} stream(s) stopped in {Milliseconds} ms")]
    public static partial void Sealed(ILogger logger, string recipient, int tokens, int identities, int streams, double milliseconds);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "recipient {Recipient} unsealed")]
    public static partial void Unsealed(ILogger logger, string recipient);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information, Message = "egress {DecisionId}: {Rows} row(s), {Bytes} byte(s), completed {Completed}")]
    public static partial void Egress(ILogger logger, string decisionId, long rows, long bytes, bool completed);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "identity {ClientId} created for recipient {Recipient} with role {Role}")]
    public static partial void IdentityCreated(ILogger logger, string clientId, string recipient, string role);

    [LoggerMessage(EventId = 6040, Level = LogLevel.Information, Message = "identity {ClientId} of recipient {Recipient} revoked with {Tokens} token(s)")]
    public static partial void IdentityRevoked(ILogger logger, string clientId, string recipient, int tokens);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "agreement {Agreement} version {Version}: {State}")]
    public static partial void AgreementStored(ILogger logger, string agreement, int version, string state);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Information, Message = "dataset {Dataset} version {Version} imported: {Rows} row(s)")]
    public static partial void DatasetImported(ILogger logger, string dataset, int version, long rows);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Error, Message = "unexpected error on {Method} {Path}")]
    public static partial void Unexpected(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 6017, Level = LogLevel.Information, Message = "revocation notice {Kind} for {Subject}: {Streams} stream(s) stopped here")]
    public static partial void RevocationNoticed(ILogger logger, RevocationKind kind, string subject, int streams);

    [LoggerMessage(EventId = 6022, Level = LogLevel.Warning, Message = "could not read the agreements in force again after a notice; the next notice or reconnection retries")]
    public static partial void PolicyReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6023, Level = LogLevel.Error, Message = "the store could not be reached to take the {Lock} lock; answered 503 and nothing was recorded")]
    public static partial void StoreLockFailed(ILogger logger, string @lock, Exception exception);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Warning, Message = "dataset {Dataset} version {Version} was imported under another schema than the agreement in force declares: its rows are refused until a new version is imported")]
    public static partial void StaleDatasetVersion(ILogger logger, string dataset, string version);

    [LoggerMessage(EventId = 6020, Level = LogLevel.Critical, Message = "transparency log refuses to grow: {Code}: {Problem}; everything that logs is answered 503 GW6024 until the log is verified")]
    public static partial void LogDamaged(ILogger logger, string code, string problem);

    [LoggerMessage(EventId = 6041, Level = LogLevel.Warning, Message = "alert {Alert} raised for recipient {Recipient} (log entry {Index})")]
    public static partial void AlertRaised(ILogger logger, string alert, string recipient, long index);

    [LoggerMessage(EventId = 6042, Level = LogLevel.Warning, Message = "the detectors could not read the log; they read from where they stopped at the next entry or poll")]
    public static partial void DetectionReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6043, Level = LogLevel.Error, Message = "the detectors could not judge a {Type} entry; it is skipped")]
    public static partial void DetectionFailed(ILogger logger, Exception exception, string type);

    [LoggerMessage(EventId = 6019, Level = LogLevel.Warning, Message = "could not write the pending rate-limit refusals ({Reason}); they stay counted for the next entry")]
    public static partial void RefusalFlushFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 6900, Level = LogLevel.Error, Message = "the retention check could not judge the egress; the next check tries again")]
    public static partial void RetentionCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6910, Level = LogLevel.Error, Message = "the due-diligence check could not judge the records; the next check tries again")]
    public static partial void DiligenceCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6920, Level = LogLevel.Information, Message = "a data subject was erased from dataset {Dataset}: {Versions} versions rewritten, {Rows} rows removed, {Egress} egress concerned")]
    public static partial void SubjectErased(ILogger logger, string dataset, int versions, long rows, int egress);

    [LoggerMessage(EventId = 6921, Level = LogLevel.Warning, Message = "the erasure pseudonyms of recipient {Recipient} could not be checked after its deletion attestation; the next read of its erasures forgets them")]
    public static partial void ErasureNoticesNotForgotten(ILogger logger, Exception exception, string recipient);

    [LoggerMessage(EventId = 6300, Level = LogLevel.Information, Message = "attested {Kind} {Subject}")]
    public static partial void Attested(ILogger logger, string kind, string subject);

    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "attested {Count} dataset version(s) stored before attestations existed")]
    public static partial void AttestationsBackfilled(ILogger logger, int count);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Warning, Message = "dataset {Dataset} version {Version} is not attested yet: no agreement in force declares the dataset's tags; it is attested at the next start that finds one")]
    public static partial void BackfillWithoutTags(ILogger logger, string dataset, int version);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Error, Message = "could not attest the dataset versions stored before attestations existed; the next start retries")]
    public static partial void BackfillFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6710, Level = LogLevel.Warning, Message = "witness {Witness} cannot be reached ({Reason}); checkpoints are submitted again every interval")]
    public static partial void WitnessUnreachable(ILogger logger, string witness, string reason);

    [LoggerMessage(EventId = 6711, Level = LogLevel.Information, Message = "witness {Witness} answers again")]
    public static partial void WitnessReachable(ILogger logger, string witness);

    [LoggerMessage(EventId = 6712, Level = LogLevel.Warning, Message = "witness {Witness} did not cosign the checkpoint of size {TreeSize}: {Status} {Answer}")]
    public static partial void WitnessRefused(ILogger logger, string witness, long treeSize, int status, string answer);

    [LoggerMessage(EventId = 6713, Level = LogLevel.Error, Message = "witness {Witness} has cosigned a tree of {WitnessSize} entries, larger than the log's {TreeSize}: the log lost entries or forked; it gets no checkpoint smaller than that")]
    public static partial void WitnessAhead(ILogger logger, string witness, long witnessSize, long treeSize);

    [LoggerMessage(EventId = 6714, Level = LogLevel.Warning, Message = "a witnessing round failed ({Kind}: {Reason}); the next interval tries again")]
    public static partial void WitnessRoundFailed(ILogger logger, string kind, string reason);
}
