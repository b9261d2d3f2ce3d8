using Concordat.Agreements;
using Concordat.Decisions;

namespace Concordat.Store.Registry;

/// <summary>
/// Durable storage for the gateway's registry: parties, agreement versions with their signatures, service
/// identities, tokens, seals, receipts and the content of reports. One implementation per database engine (SQLite, PostgreSQL), each passing the
/// same conformance suite.
/// </summary>
/// <remarks>
/// <para>Implementations MUST be safe to call from several threads and several processes sharing one database.</para>
/// <para>Implementations MUST NOT store a secret or a bearer value: callers hand over SHA-256 hashes only.</para>
/// <para>Every write MUST be durable when its task completes.</para>
/// <para>A store lives as long as the <see cref="IStoreEngine"/> that gives it; the engine releases what it holds.</para>
/// </remarks>
public interface IRegistryStore
{
    /// <summary>Creates the schema when missing; idempotent.</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the schema exists.</returns>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Registers a party, or updates its legal name when it is known (keeping its first registration time).</summary>
    /// <param name="party">The party.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    Task PutPartyAsync(PartyRecord party, CancellationToken cancellationToken);

    /// <summary>Lists every party, ordered by id.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The parties.</returns>
    Task<IReadOnlyList<PartyRecord>> ListPartiesAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new agreement version.</summary>
    /// <param name="agreement">The version; its state is stored as given.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/>, having written nothing, when that id and version are already stored.</returns>
    Task<bool> AddAgreementVersionAsync(AgreementVersionRecord agreement, CancellationToken cancellationToken);

    /// <summary>Reads one agreement version.</summary>
    /// <param name="id">The agreement id.</param>
    /// <param name="version">The version.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The version, or <see langword="null"/> when it is not stored.</returns>
    Task<AgreementVersionRecord?> GetAgreementVersionAsync(AgreementId id, int version, CancellationToken cancellationToken);

    /// <summary>Lists every stored agreement version, ordered by id then version.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The versions.</returns>
    Task<IReadOnlyList<AgreementVersionRecord>> ListAgreementVersionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes one version active and, in the same transaction, marks the version that was active superseded.
    /// </summary>
    /// <param name="id">The agreement id.</param>
    /// <param name="version">The version to activate.</param>
    /// <param name="activatedAt">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The version number that was superseded, or <see langword="null"/> when none was active.</returns>
    /// <remarks>An engine shared by replicas MUST announce the change to every replica at commit (<see cref="Revocation.RevocationKind.AgreementChanged"/>).</remarks>
    /// <exception cref="InvalidOperationException">The version is not stored, or an earlier version is asked for
    /// than the one active (an agreement never goes back).</exception>
    Task<int?> ActivateAgreementVersionAsync(AgreementId id, int version, DateTimeOffset activatedAt, CancellationToken cancellationToken);

    /// <summary>Records the signed termination of the active version of an agreement.</summary>
    /// <param name="id">The agreement id.</param>
    /// <param name="version">The version, which MUST be the active one.</param>
    /// <param name="termination">The termination record, as uploaded.</param>
    /// <param name="terminatesAt">When the termination takes effect.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/>, having written nothing, when the version is not active or a termination is recorded already (it is recorded once).</returns>
    /// <remarks>Like an activation, a termination is announced to every replica (<see cref="Revocation.RevocationKind.AgreementChanged"/>).</remarks>
    Task<bool> TerminateAgreementVersionAsync(AgreementId id, int version, string termination, DateTimeOffset terminatesAt, CancellationToken cancellationToken);

    /// <summary>Stores a new service identity, unless its recipient is sealed.</summary>
    /// <param name="identity">The identity, with the hash of its secret.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/>, having written nothing, when a seal is in force on the identity's recipient.</returns>
    /// <remarks>
    /// Implementations MUST check the seal and insert atomically with respect to <see cref="SealAsync"/>: an identity
    /// stored while a seal is in force would outlive the seal, since unsealing revokes nothing.
    /// </remarks>
    Task<bool> AddIdentityAsync(IdentityRecord identity, CancellationToken cancellationToken);

    /// <summary>Reads a service identity.</summary>
    /// <param name="clientId">The client id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The identity, revoked or not, or <see langword="null"/> when unknown.</returns>
    Task<IdentityRecord?> FindIdentityAsync(IdentityId clientId, CancellationToken cancellationToken);

    /// <summary>Lists every service identity, ordered by recipient then client id.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The identities.</returns>
    Task<IReadOnlyList<IdentityRecord>> ListIdentitiesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Revokes one service identity and, in the same transaction, every token issued to it that is not yet revoked.
    /// </summary>
    /// <param name="clientId">The client id.</param>
    /// <param name="revokedAt">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The ids of the tokens revoked with it, or <see langword="null"/>, having written nothing, when the
    /// identity is unknown or was revoked before.</returns>
    Task<IReadOnlyList<TokenId>?> RevokeIdentityAsync(IdentityId clientId, DateTimeOffset revokedAt, CancellationToken cancellationToken);

    /// <summary>Stores a new token.</summary>
    /// <param name="token">The token, with the hash of its bearer value.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    Task AddTokenAsync(TokenRecord token, CancellationToken cancellationToken);

    /// <summary>Reads a token by the SHA-256 of its bearer value.</summary>
    /// <param name="hash">The hash.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The token, revoked or expired or not, or <see langword="null"/> when unknown.</returns>
    Task<TokenRecord?> FindTokenByHashAsync(ReadOnlyMemory<byte> hash, CancellationToken cancellationToken);

    /// <summary>Reads a token by its public id.</summary>
    /// <param name="id">The token id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The token, or <see langword="null"/> when unknown.</returns>
    Task<TokenRecord?> FindTokenAsync(TokenId id, CancellationToken cancellationToken);

    /// <summary>Lists the tokens that are neither revoked nor expired at <paramref name="now"/>, ordered by id.</summary>
    /// <param name="now">The instant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The live tokens.</returns>
    Task<IReadOnlyList<TokenRecord>> ListLiveTokensAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes one token.</summary>
    /// <param name="id">The token id.</param>
    /// <param name="revokedAt">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the token existed and was not revoked before.</returns>
    Task<bool> RevokeTokenAsync(TokenId id, DateTimeOffset revokedAt, CancellationToken cancellationToken);

    /// <summary>
    /// Seals a recipient: in one transaction, revokes every token and identity of the recipient not yet revoked
    /// and records the seal. Sealing a sealed recipient records nothing new.
    /// </summary>
    /// <param name="recipient">The recipient.</param>
    /// <param name="sealedAt">When.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The seal in force after the call (the earlier one when already sealed) and what this call revoked.</returns>
    Task<SealAct> SealAsync(PartyId recipient, DateTimeOffset sealedAt, string reason, CancellationToken cancellationToken);

    /// <summary>Lifts the seal in force on a recipient; revoked tokens and identities stay revoked.</summary>
    /// <param name="recipient">The recipient.</param>
    /// <param name="unsealedAt">When.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when a seal was in force.</returns>
    Task<bool> UnsealAsync(PartyId recipient, DateTimeOffset unsealedAt, CancellationToken cancellationToken);

    /// <summary>Reads the seal in force on a recipient.</summary>
    /// <param name="recipient">The recipient.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The seal in force, or <see langword="null"/> when the recipient is not sealed.</returns>
    Task<SealRecord?> FindSealAsync(PartyId recipient, CancellationToken cancellationToken);

    /// <summary>Stores the receipt of one egress.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    Task AddReceiptAsync(ReceiptRecord receipt, CancellationToken cancellationToken);

    /// <summary>Reads the receipt of one egress.</summary>
    /// <param name="decisionId">The id of the decision the egress carried out.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The receipt, or <see langword="null"/> when unknown.</returns>
    Task<ReceiptRecord?> FindReceiptAsync(DecisionId decisionId, CancellationToken cancellationToken);

    /// <summary>Stores the content of a report, written once.</summary>
    /// <param name="report">The report's content.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="false"/>, having written nothing, when a report with that id is stored already.</returns>
    Task<bool> AddReportAsync(ReportContentRecord report, CancellationToken cancellationToken);

    /// <summary>Reads the content of a report.</summary>
    /// <param name="id">The report id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The content, or <see langword="null"/> when no report has that id.</returns>
    Task<ReportContentRecord?> FindReportAsync(ReportId id, CancellationToken cancellationToken);

    /// <summary>Deletes the content of a report whose log entry could not be written, so that no words are kept that the log does not commit to.</summary>
    /// <param name="id">The report id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when a report with that id was stored.</returns>
    Task<bool> DeleteReportAsync(ReportId id, CancellationToken cancellationToken);
}
