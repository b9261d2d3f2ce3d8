using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Storage.Postgres.Revocation;
using Concordat.Store.Registry;
using Concordat.Store.Revocation;
using Npgsql;

namespace Concordat.Storage.Postgres.Registry;

/// <summary>
/// The registry on PostgreSQL: gateway replicas share one database, so a seal or a revocation written by one
/// replica is seen by every replica on its next token check, and announced to every replica at once with a
/// <see cref="RevocationNotice"/> on <see cref="RevocationPayload.Channel"/>; so is an agreement activated,
/// superseded or terminated, which every replica then reads again.
/// </summary>
/// <remarks>
/// Writes that must be atomic run in one transaction; a seal takes a transaction-scoped advisory lock on the
/// recipient so that two replicas sealing at once record one seal. A seal, an unseal and a token revocation send
/// their notice in the transaction that writes them: PostgreSQL delivers it at commit, and never for a rollback.
/// </remarks>
internal sealed class PostgresRegistryStore : IRegistryStore
{
    private static readonly RegistryColumnTypes s_types = new("text", "integer", "bigint", "bytea", "boolean");
    private static readonly string s_schema = RegistrySchema.CreateTables(s_types);

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Initializes a store over the database of <paramref name="dataSource"/>.</summary>
    /// <param name="dataSource">The data source; the caller keeps ownership and disposes it after the store's last use.</param>
    public PostgresRegistryStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Invariant: replicas starting together must not race on CREATE TABLE IF NOT EXISTS (it is not atomic).
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(7306172)", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, s_schema, cancellationToken).ConfigureAwait(false);

        // A registry created before a column was added gains it.
        foreach (var (table, column, type) in RegistrySchema.AddedColumns(s_types))
        {
            await ExecuteAsync(connection, transaction, $"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {type}", cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task PutPartyAsync(PartyRecord party, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(party);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            null,
            "INSERT INTO registry_parties (id, legal_name, registered_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET legal_name = excluded.legal_name",
            cancellationToken,
            party.Id.Value,
            party.LegalName,
            StoredInstant.ToMicros(party.RegisteredAt)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PartyRecord>> ListPartiesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.PartyColumns} FROM registry_parties ORDER BY id");
        return await RegistryRows.ReadAllAsync(command, RegistryRows.ReadParty, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> AddAgreementVersionAsync(AgreementVersionRecord agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO registry_agreements (id, version, digest, document, state, uploaded_at, activated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            cancellationToken,
            agreement.Id.Value,
            agreement.Version,
            agreement.Digest.ToString(),
            agreement.Document.ToArray(),
            agreement.State.ToString(),
            StoredInstant.ToMicros(agreement.UploadedAt),
            StoredInstant.ToMicros(agreement.ActivatedAt)).ConfigureAwait(false);
        if (inserted == 0)
        {
            return false;
        }

        for (var i = 0; i < agreement.Signatures.Count; i++)
        {
            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO registry_agreement_signatures (agreement_id, version, ordinal, key_name, signature) VALUES ($1, $2, $3, $4, $5)",
                cancellationToken,
                agreement.Id.Value,
                agreement.Version,
                i,
                agreement.Signatures[i].KeyName,
                agreement.Signatures[i].Signature).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<AgreementVersionRecord?> GetAgreementVersionAsync(AgreementId id, int version, CancellationToken cancellationToken)
    {
        var all = await ReadAgreementsAsync("WHERE id = $1 AND version = $2", cancellationToken, id.Value, version).ConfigureAwait(false);
        return all.Count == 0 ? null : all[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgreementVersionRecord>> ListAgreementVersionsAsync(CancellationToken cancellationToken) =>
        ReadAgreementsAsync(string.Empty, cancellationToken);

    /// <inheritdoc/>
    public async Task<int?> ActivateAgreementVersionAsync(AgreementId id, int version, DateTimeOffset activatedAt, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var locked = Command(connection, transaction, "SELECT version, state FROM registry_agreements WHERE id = $1 ORDER BY version FOR UPDATE", id.Value);
        var rows = await RegistryRows.ReadAllAsync(locked, r => (Version: r.GetInt32(0), State: r.GetString(1)), cancellationToken).ConfigureAwait(false);
        var target = rows.FirstOrDefault(r => r.Version == version);
        if (target.State is null)
        {
            throw new InvalidOperationException($"agreement `{id}` version {version} is not stored");
        }

        int? activeVersion = rows.FirstOrDefault(r => r.State == nameof(AgreementVersionState.Active)) is { State: not null } active ? active.Version : null;
        if (activeVersion == version)
        {
            return null;
        }

        if (activeVersion > version || target.State == nameof(AgreementVersionState.Superseded))
        {
            // Invariant: an agreement never goes back to an earlier version.
            throw new InvalidOperationException($"agreement `{id}` version {version} is older than the version in force");
        }

        await ExecuteAsync(connection, transaction, "UPDATE registry_agreements SET state = 'Superseded' WHERE id = $1 AND state = 'Active'", cancellationToken, id.Value).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "UPDATE registry_agreements SET state = 'Active', activated_at = $3 WHERE id = $1 AND version = $2", cancellationToken, id.Value, version, StoredInstant.ToMicros(activatedAt)).ConfigureAwait(false);
        await NotifyAsync(connection, transaction, new RevocationNotice(RevocationKind.AgreementChanged, null, null, id), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return activeVersion;
    }

    /// <inheritdoc/>
    public async Task<bool> TerminateAgreementVersionAsync(AgreementId id, int version, string termination, DateTimeOffset terminatesAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(termination);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await ExecuteAsync(
            connection,
            transaction,
            "UPDATE registry_agreements SET termination = $3, terminates_at = $4 WHERE id = $1 AND version = $2 AND state = 'Active' AND termination IS NULL",
            cancellationToken,
            id.Value,
            version,
            termination,
            StoredInstant.ToMicros(terminatesAt)).ConfigureAwait(false);
        if (changed != 1)
        {
            return false;
        }

        await NotifyAsync(connection, transaction, new RevocationNotice(RevocationKind.AgreementChanged, null, null, id), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<bool> AddIdentityAsync(IdentityRecord identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Invariant: the seal's lock, so no seal of the recipient commits between the check and the insert.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext($1))", cancellationToken, SealLock(identity.Recipient)).ConfigureAwait(false);
        var inserted = await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO registry_identities (client_id, recipient, role, secret_hash, created_at, revoked_at) SELECT $1, $2, $3, $4, $5::bigint, $6::bigint WHERE NOT EXISTS (SELECT 1 FROM registry_seals WHERE recipient = $2 AND unsealed_at IS NULL)",
            cancellationToken,
            identity.ClientId.Value,
            identity.Recipient.Value,
            identity.Role.ToString(),
            identity.SecretHash.ToArray(),
            StoredInstant.ToMicros(identity.CreatedAt),
            StoredInstant.ToMicros(identity.RevokedAt)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <inheritdoc/>
    public async Task<IdentityRecord?> FindIdentityAsync(IdentityId clientId, CancellationToken cancellationToken)
    {
        var all = await ReadIdentitiesAsync("WHERE client_id = $1", cancellationToken, clientId.Value).ConfigureAwait(false);
        return all.Count == 0 ? null : all[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<IdentityRecord>> ListIdentitiesAsync(CancellationToken cancellationToken) =>
        ReadIdentitiesAsync(string.Empty, cancellationToken);

    /// <inheritdoc/>
    public async Task AddTokenAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            null,
            $"INSERT INTO registry_tokens ({RegistryRows.TokenColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
            cancellationToken,
            token.Id.Value,
            token.Hash.ToArray(),
            token.ClientId.Value,
            token.Recipient.Value,
            token.Agreement.Value,
            token.AgreementDigest.ToString(),
            token.Dataset.Value,
            token.Purpose.Value,
            token.Jurisdiction.Value,
            token.DecisionId.Value,
            token.Obligations,
            StoredInstant.ToMicros(token.IssuedAt),
            StoredInstant.ToMicros(token.ExpiresAt),
            StoredInstant.ToMicros(token.RevokedAt),
            token.Subprocessor?.Value,
            token.Action is { } action ? DecisionNames.ToName(action) : null).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<TokenRecord?> FindTokenByHashAsync(ReadOnlyMemory<byte> hash, CancellationToken cancellationToken)
    {
        var all = await ReadTokensAsync("WHERE hash = $1", cancellationToken, hash.ToArray()).ConfigureAwait(false);
        return all.Count == 0 ? null : all[0];
    }

    /// <inheritdoc/>
    public async Task<TokenRecord?> FindTokenAsync(TokenId id, CancellationToken cancellationToken)
    {
        var all = await ReadTokensAsync("WHERE id = $1", cancellationToken, id.Value).ConfigureAwait(false);
        return all.Count == 0 ? null : all[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<TokenRecord>> ListLiveTokensAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadTokensAsync("WHERE revoked_at IS NULL AND expires_at > $1", cancellationToken, StoredInstant.ToMicros(now));

    /// <inheritdoc/>
    public async Task<bool> RevokeTokenAsync(TokenId id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var revoke = Command(connection, transaction, "UPDATE registry_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING recipient", id.Value, StoredInstant.ToMicros(revokedAt));
        if (await revoke.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string recipient)
        {
            return false;
        }

        await NotifyAsync(connection, transaction, new RevocationNotice(RevocationKind.TokenRevoked, new PartyId(recipient), id), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TokenId>?> RevokeIdentityAsync(IdentityId clientId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var at = StoredInstant.ToMicros(revokedAt);
        if (await ExecuteAsync(connection, transaction, "UPDATE registry_identities SET revoked_at = $2 WHERE client_id = $1 AND revoked_at IS NULL", cancellationToken, clientId.Value, at).ConfigureAwait(false) != 1)
        {
            return null;
        }

        var revoked = new List<(TokenId Id, PartyId Recipient)>();
        await using (var tokens = Command(connection, transaction, "UPDATE registry_tokens SET revoked_at = $2 WHERE client_id = $1 AND revoked_at IS NULL RETURNING id, recipient", clientId.Value, at))
        {
            await using var reader = await tokens.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                revoked.Add((new TokenId(reader.GetString(0)), new PartyId(reader.GetString(1))));
            }
        }

        // Invariant: each token revoked with the identity is announced, so every replica stops the streams opened with it.
        foreach (var (id, recipient) in revoked)
        {
            await NotifyAsync(connection, transaction, new RevocationNotice(RevocationKind.TokenRevoked, recipient, id), cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return [.. revoked.Select(r => r.Id)];
    }

    /// <inheritdoc/>
    public async Task<SealAct> SealAsync(PartyId recipient, DateTimeOffset sealedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Invariant: one seal in force per recipient, even when two replicas seal at once.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext($1))", cancellationToken, SealLock(recipient)).ConfigureAwait(false);
        var existing = await ReadSealAsync(connection, transaction, recipient, cancellationToken).ConfigureAwait(false);
        var at = StoredInstant.ToMicros(sealedAt);
        var tokens = await ExecuteAsync(connection, transaction, "UPDATE registry_tokens SET revoked_at = $2 WHERE recipient = $1 AND revoked_at IS NULL", cancellationToken, recipient.Value, at).ConfigureAwait(false);
        var identities = await ExecuteAsync(connection, transaction, "UPDATE registry_identities SET revoked_at = $2 WHERE recipient = $1 AND revoked_at IS NULL", cancellationToken, recipient.Value, at).ConfigureAwait(false);

        // Invariant: announced even when already sealed, so a replica that missed the first notice stops its streams now.
        await NotifyAsync(connection, transaction, new RevocationNotice(RevocationKind.Seal, recipient, null), cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new SealAct(existing, tokens, identities, true);
        }

        await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO registry_seals (recipient, sealed_at, reason, tokens_revoked, identities_revoked) VALUES ($1, $2, $3, $4, $5)",
            cancellationToken,
            recipient.Value,
            at,
            reason,
            tokens,
            identities).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SealAct(new SealRecord(recipient, StoredInstant.FromMicros(at), reason, tokens, identities, null), tokens, identities, false);
    }

    /// <inheritdoc/>
    public async Task<bool> UnsealAsync(PartyId recipient, DateTimeOffset unsealedAt, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await ExecuteAsync(connection, transaction, "UPDATE registry_seals SET unsealed_at = $2 WHERE recipient = $1 AND unsealed_at IS NULL", cancellationToken, recipient.Value, StoredInstant.ToMicros(unsealedAt)).ConfigureAwait(false);
        if (changed != 1)
        {
            return false;
        }

        await NotifyAsync(connection, transaction, new RevocationNotice(RevocationKind.Unseal, recipient, null), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<SealRecord?> FindSealAsync(PartyId recipient, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadSealAsync(connection, null, recipient, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task AddReceiptAsync(ReceiptRecord receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            null,
            $"INSERT INTO registry_receipts ({RegistryRows.ReceiptColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            cancellationToken,
            receipt.DecisionId.Value,
            receipt.TokenId.Value,
            receipt.Recipient.Value,
            receipt.Dataset.Value,
            receipt.Format,
            receipt.Rows,
            receipt.Bytes,
            receipt.Sha256.ToString(),
            receipt.IsComplete,
            receipt.LogIndex,
            StoredInstant.ToMicros(receipt.At),
            receipt.RowsWithheldByConsent,
            receipt.RowsWithheldByResidency,
            receipt.DatasetVersion,
            receipt.Manifest?.ToString()).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ReceiptRecord?> FindReceiptAsync(DecisionId decisionId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.ReceiptColumns} FROM registry_receipts WHERE decision_id = $1", decisionId.Value);
        return await RegistryRows.ReadFirstAsync(command, RegistryRows.ReadReceipt, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> AddReportAsync(ReportContentRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(
            connection,
            null,
            $"INSERT INTO registry_reports ({RegistryRows.ReportColumns}) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            cancellationToken,
            report.Id.Value,
            StoredInstant.ToMicros(report.ReceivedAt),
            report.Document).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public async Task<ReportContentRecord?> FindReportAsync(ReportId id, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.ReportColumns} FROM registry_reports WHERE id = $1", id.Value);
        return await RegistryRows.ReadFirstAsync(command, RegistryRows.ReadReport, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteReportAsync(ReportId id, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(connection, null, "DELETE FROM registry_reports WHERE id = $1", cancellationToken, id.Value).ConfigureAwait(false) == 1;
    }

    // The advisory lock a seal of the recipient and an identity for it both take.
    private static string SealLock(PartyId recipient) => "seal:" + recipient.Value;

    private static Task<int> NotifyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RevocationNotice notice, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "SELECT pg_notify($1, $2)", cancellationToken, RevocationPayload.Channel, RevocationPayload.Format(notice));

    private static async Task<SealRecord?> ReadSealAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, PartyId recipient, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            $"SELECT {RegistryRows.SealColumns} FROM registry_seals WHERE recipient = $1 AND unsealed_at IS NULL",
            recipient.Value);
        return await RegistryRows.ReadFirstAsync(command, RegistryRows.ReadSeal, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<AgreementVersionRecord>> ReadAgreementsAsync(string where, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.AgreementColumns} FROM registry_agreements {where} ORDER BY id, version", parameters);
        var rows = await RegistryRows.ReadAllAsync(command, RegistryRows.ReadAgreementVersion, cancellationToken).ConfigureAwait(false);
        var result = new List<AgreementVersionRecord>(rows.Count);
        foreach (var row in rows)
        {
            await using var signatures = Command(
                connection,
                null,
                $"SELECT {RegistryRows.SignatureColumns} FROM registry_agreement_signatures WHERE agreement_id = $1 AND version = $2 ORDER BY ordinal",
                row.Id.Value,
                row.Version);
            var list = await RegistryRows.ReadAllAsync(signatures, RegistryRows.ReadSignature, cancellationToken).ConfigureAwait(false);
            result.Add(row with { Signatures = list });
        }

        return result;
    }

    private async Task<IReadOnlyList<IdentityRecord>> ReadIdentitiesAsync(string where, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.IdentityColumns} FROM registry_identities {where} ORDER BY recipient, client_id", parameters);
        return await RegistryRows.ReadAllAsync(command, RegistryRows.ReadIdentity, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<TokenRecord>> ReadTokensAsync(string where, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.TokenColumns} FROM registry_tokens {where} ORDER BY id", parameters);
        return await RegistryRows.ReadAllAsync(command, RegistryRows.ReadToken, cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object?[] parameters)
    {
#pragma warning disable CA2100 // Only constant SQL text reaches here; every user value is a positional parameter.
        var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
