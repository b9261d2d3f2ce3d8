using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Store.Registry;
using Microsoft.Data.Sqlite;

namespace Concordat.Storage.Sqlite.Registry;

/// <summary>
/// The registry on SQLite, in WAL mode: one database file in the workspace, beside the log's.
/// </summary>
/// <remarks>
/// Every call opens a pooled connection; writes that must be atomic run in one <c>BEGIN IMMEDIATE</c>
/// transaction, so that two processes on one file serialise instead of failing half-way. Within one process, writes
/// queue on one gate and never meet each other's locks. Pooled connections hold the file open until
/// <see cref="SqliteStoreEngine"/> (or whoever made the store) clears the pool.
/// </remarks>
internal sealed class SqliteRegistryStore : IRegistryStore, IDisposable
{
    private static readonly RegistryColumnTypes s_types = new("TEXT", "INTEGER", "INTEGER", "BLOB", "INTEGER");
    private static readonly string s_schema = "PRAGMA journal_mode = WAL;\n" + RegistrySchema.CreateTables(s_types);

    private readonly string _connectionString;

    // Why: concurrent writers on one SQLite file get SQLITE_BUSY, and Microsoft.Data.Sqlite then retries after
    // sleeping 150 ms; queueing this process's writes here keeps them off that path (token issuance waited on it).
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Initializes a store over the database file at <paramref name="path"/>.</summary>
    /// <param name="path">The database file; created when missing.</param>
    public SqliteRegistryStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        await ExecuteAsync(connection, null, s_schema, cancellationToken).ConfigureAwait(false);

        // A registry created before a column was added gains it (SQLite has no ADD COLUMN IF NOT EXISTS).
        foreach (var (table, column, type) in RegistrySchema.AddedColumns(s_types))
        {
            await using var probe = Command(connection, null, "SELECT count(*) FROM pragma_table_info($t) WHERE name = $c", ("$t", table), ("$c", column));
            if (Convert.ToInt64(await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                await ExecuteAsync(connection, null, $"ALTER TABLE {table} ADD COLUMN {column} {type}", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public async Task PutPartyAsync(PartyRecord party, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(party);
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        await ExecuteAsync(
            connection,
            null,
            "INSERT INTO registry_parties (id, legal_name, registered_at) VALUES ($id, $name, $at) ON CONFLICT (id) DO UPDATE SET legal_name = excluded.legal_name",
            cancellationToken,
            ("$id", party.Id.Value),
            ("$name", party.LegalName),
            ("$at", StoredInstant.ToMicros(party.RegisteredAt))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<PartyRecord>> ListPartiesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.PartyColumns} FROM registry_parties ORDER BY id");
        return await RegistryRows.ReadAllAsync(command, RegistryRows.ReadParty, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> AddAgreementVersionAsync(AgreementVersionRecord agreement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO registry_agreements (id, version, digest, document, state, uploaded_at, activated_at) VALUES ($id, $v, $d, $doc, $s, $u, $a) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("$id", agreement.Id.Value),
            ("$v", agreement.Version),
            ("$d", agreement.Digest.ToString()),
            ("$doc", agreement.Document.ToArray()),
            ("$s", agreement.State.ToString()),
            ("$u", StoredInstant.ToMicros(agreement.UploadedAt)),
            ("$a", StoredInstant.ToMicros(agreement.ActivatedAt))).ConfigureAwait(false);
        if (inserted == 0)
        {
            return false;
        }

        for (var i = 0; i < agreement.Signatures.Count; i++)
        {
            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO registry_agreement_signatures (agreement_id, version, ordinal, key_name, signature) VALUES ($id, $v, $o, $k, $s)",
                cancellationToken,
                ("$id", agreement.Id.Value),
                ("$v", agreement.Version),
                ("$o", i),
                ("$k", agreement.Signatures[i].KeyName),
                ("$s", agreement.Signatures[i].Signature)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc/>
    public async Task<AgreementVersionRecord?> GetAgreementVersionAsync(AgreementId id, int version, CancellationToken cancellationToken)
    {
        var all = await ReadAgreementsAsync("WHERE id = $id AND version = $v", cancellationToken, ("$id", id.Value), ("$v", version)).ConfigureAwait(false);
        return all.Count == 0 ? null : all[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgreementVersionRecord>> ListAgreementVersionsAsync(CancellationToken cancellationToken) =>
        ReadAgreementsAsync(string.Empty, cancellationToken);

    /// <inheritdoc/>
    public async Task<int?> ActivateAgreementVersionAsync(AgreementId id, int version, DateTimeOffset activatedAt, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = Command(connection, transaction, "SELECT state FROM registry_agreements WHERE id = $id AND version = $v", ("$id", id.Value), ("$v", version));
        var state = await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string
            ?? throw new InvalidOperationException($"agreement `{id}` version {version} is not stored");
        await using var active = Command(connection, transaction, "SELECT version FROM registry_agreements WHERE id = $id AND state = 'Active'", ("$id", id.Value));
        var activeVersion = await active.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long v ? (int?)v : null;
        if (activeVersion == version)
        {
            return null;
        }

        if (activeVersion > version || state == nameof(AgreementVersionState.Superseded))
        {
            // Invariant: an agreement never goes back to an earlier version.
            throw new InvalidOperationException($"agreement `{id}` version {version} is older than the version in force");
        }

        await ExecuteAsync(connection, transaction, "UPDATE registry_agreements SET state = 'Superseded' WHERE id = $id AND state = 'Active'", cancellationToken, ("$id", id.Value)).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            transaction,
            "UPDATE registry_agreements SET state = 'Active', activated_at = $a WHERE id = $id AND version = $v",
            cancellationToken,
            ("$id", id.Value),
            ("$v", version),
            ("$a", StoredInstant.ToMicros(activatedAt))).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return activeVersion;
    }

    /// <inheritdoc/>
    public async Task<bool> TerminateAgreementVersionAsync(AgreementId id, int version, string termination, DateTimeOffset terminatesAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(termination);
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var changed = await ExecuteAsync(
            write.Connection,
            null,
            "UPDATE registry_agreements SET termination = $t, terminates_at = $at WHERE id = $id AND version = $v AND state = 'Active' AND termination IS NULL",
            cancellationToken,
            ("$id", id.Value),
            ("$v", version),
            ("$t", termination),
            ("$at", StoredInstant.ToMicros(terminatesAt))).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc/>
    public async Task<bool> AddIdentityAsync(IdentityRecord identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;

        // Invariant: one statement checks the seal and inserts, so no seal can commit between the two.
        var inserted = await ExecuteAsync(
            connection,
            null,
            "INSERT INTO registry_identities (client_id, recipient, role, secret_hash, created_at, revoked_at) SELECT $c, $r, $role, $h, $at, $rev WHERE NOT EXISTS (SELECT 1 FROM registry_seals WHERE recipient = $r AND unsealed_at IS NULL)",
            cancellationToken,
            ("$c", identity.ClientId.Value),
            ("$r", identity.Recipient.Value),
            ("$role", identity.Role.ToString()),
            ("$h", identity.SecretHash.ToArray()),
            ("$at", StoredInstant.ToMicros(identity.CreatedAt)),
            ("$rev", StoredInstant.ToMicros(identity.RevokedAt))).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TokenId>?> RevokeIdentityAsync(IdentityId clientId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var at = StoredInstant.ToMicros(revokedAt);
        if (await ExecuteAsync(connection, transaction, "UPDATE registry_identities SET revoked_at = $at WHERE client_id = $c AND revoked_at IS NULL", cancellationToken, ("$c", clientId.Value), ("$at", at)).ConfigureAwait(false) != 1)
        {
            return null;
        }

        var revoked = new List<TokenId>();
        await using (var tokens = Command(connection, transaction, "UPDATE registry_tokens SET revoked_at = $at WHERE client_id = $c AND revoked_at IS NULL RETURNING id", ("$c", clientId.Value), ("$at", at)))
        {
            await using var reader = await tokens.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                revoked.Add(new TokenId(reader.GetString(0)));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return revoked;
    }

    /// <inheritdoc/>
    public async Task<IdentityRecord?> FindIdentityAsync(IdentityId clientId, CancellationToken cancellationToken)
    {
        var all = await ReadIdentitiesAsync("WHERE client_id = $c", cancellationToken, ("$c", clientId.Value)).ConfigureAwait(false);
        return all.Count == 0 ? null : all[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<IdentityRecord>> ListIdentitiesAsync(CancellationToken cancellationToken) =>
        ReadIdentitiesAsync(string.Empty, cancellationToken);

    /// <inheritdoc/>
    public async Task AddTokenAsync(TokenRecord token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        await ExecuteAsync(
            connection,
            null,
            $"INSERT INTO registry_tokens ({RegistryRows.TokenColumns}) VALUES ($id, $h, $c, $r, $a, $ad, $d, $p, $j, $dec, $o, $i, $e, $rev, $sub, $act)",
            cancellationToken,
            ("$id", token.Id.Value),
            ("$h", token.Hash.ToArray()),
            ("$c", token.ClientId.Value),
            ("$r", token.Recipient.Value),
            ("$a", token.Agreement.Value),
            ("$ad", token.AgreementDigest.ToString()),
            ("$d", token.Dataset.Value),
            ("$p", token.Purpose.Value),
            ("$j", token.Jurisdiction.Value),
            ("$dec", token.DecisionId.Value),
            ("$o", token.Obligations),
            ("$i", StoredInstant.ToMicros(token.IssuedAt)),
            ("$e", StoredInstant.ToMicros(token.ExpiresAt)),
            ("$rev", StoredInstant.ToMicros(token.RevokedAt)),
            ("$sub", token.Subprocessor?.Value),
            ("$act", token.Action is { } action ? DecisionNames.ToName(action) : null)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<TokenRecord?> FindTokenByHashAsync(ReadOnlyMemory<byte> hash, CancellationToken cancellationToken)
    {
        var all = await ReadTokensAsync("WHERE hash = $h", cancellationToken, ("$h", hash.ToArray())).ConfigureAwait(false);
        return all.Count == 0 ? null : all[0];
    }

    /// <inheritdoc/>
    public async Task<TokenRecord?> FindTokenAsync(TokenId id, CancellationToken cancellationToken)
    {
        var all = await ReadTokensAsync("WHERE id = $id", cancellationToken, ("$id", id.Value)).ConfigureAwait(false);
        return all.Count == 0 ? null : all[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<TokenRecord>> ListLiveTokensAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadTokensAsync("WHERE revoked_at IS NULL AND expires_at > $now", cancellationToken, ("$now", StoredInstant.ToMicros(now)));

    /// <inheritdoc/>
    public async Task<bool> RevokeTokenAsync(TokenId id, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        var changed = await ExecuteAsync(
            connection,
            null,
            "UPDATE registry_tokens SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL",
            cancellationToken,
            ("$id", id.Value),
            ("$at", StoredInstant.ToMicros(revokedAt))).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc/>
    public async Task<SealAct> SealAsync(PartyId recipient, DateTimeOffset sealedAt, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var existing = await ReadSealAsync(connection, transaction, recipient, cancellationToken).ConfigureAwait(false);
        var at = StoredInstant.ToMicros(sealedAt);
        var tokens = await ExecuteAsync(connection, transaction, "UPDATE registry_tokens SET revoked_at = $at WHERE recipient = $r AND revoked_at IS NULL", cancellationToken, ("$r", recipient.Value), ("$at", at)).ConfigureAwait(false);
        var identities = await ExecuteAsync(connection, transaction, "UPDATE registry_identities SET revoked_at = $at WHERE recipient = $r AND revoked_at IS NULL", cancellationToken, ("$r", recipient.Value), ("$at", at)).ConfigureAwait(false);
        if (existing is not null)
        {
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new SealAct(existing, tokens, identities, true);
        }

        await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO registry_seals (recipient, sealed_at, reason, tokens_revoked, identities_revoked) VALUES ($r, $at, $reason, $t, $i)",
            cancellationToken,
            ("$r", recipient.Value),
            ("$at", at),
            ("$reason", reason),
            ("$t", tokens),
            ("$i", identities)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SealAct(new SealRecord(recipient, StoredInstant.FromMicros(at), reason, tokens, identities, null), tokens, identities, false);
    }

    /// <inheritdoc/>
    public async Task<bool> UnsealAsync(PartyId recipient, DateTimeOffset unsealedAt, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        var changed = await ExecuteAsync(
            connection,
            null,
            "UPDATE registry_seals SET unsealed_at = $at WHERE recipient = $r AND unsealed_at IS NULL",
            cancellationToken,
            ("$r", recipient.Value),
            ("$at", StoredInstant.ToMicros(unsealedAt))).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc/>
    public async Task<SealRecord?> FindSealAsync(PartyId recipient, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadSealAsync(connection, null, recipient, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task AddReceiptAsync(ReceiptRecord receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        var connection = write.Connection;
        await ExecuteAsync(
            connection,
            null,
            $"INSERT INTO registry_receipts ({RegistryRows.ReceiptColumns}) VALUES ($d, $t, $r, $ds, $f, $rows, $b, $h, $c, $i, $at, $wc, $wr, $v, $m)",
            cancellationToken,
            ("$d", receipt.DecisionId.Value),
            ("$t", receipt.TokenId.Value),
            ("$r", receipt.Recipient.Value),
            ("$ds", receipt.Dataset.Value),
            ("$f", receipt.Format),
            ("$rows", receipt.Rows),
            ("$b", receipt.Bytes),
            ("$h", receipt.Sha256.ToString()),
            ("$c", receipt.IsComplete ? 1 : 0),
            ("$i", receipt.LogIndex),
            ("$at", StoredInstant.ToMicros(receipt.At)),
            ("$wc", receipt.RowsWithheldByConsent),
            ("$wr", receipt.RowsWithheldByResidency),
            ("$v", receipt.DatasetVersion),
            ("$m", receipt.Manifest?.ToString())).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<ReceiptRecord?> FindReceiptAsync(DecisionId decisionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.ReceiptColumns} FROM registry_receipts WHERE decision_id = $d", ("$d", decisionId.Value));
        return await RegistryRows.ReadFirstAsync(command, RegistryRows.ReadReceipt, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> AddReportAsync(ReportContentRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(
            write.Connection,
            null,
            $"INSERT INTO registry_reports ({RegistryRows.ReportColumns}) VALUES ($id, $at, $doc) ON CONFLICT DO NOTHING",
            cancellationToken,
            ("$id", report.Id.Value),
            ("$at", StoredInstant.ToMicros(report.ReceivedAt)),
            ("$doc", report.Document)).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public async Task<ReportContentRecord?> FindReportAsync(ReportId id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.ReportColumns} FROM registry_reports WHERE id = $id", ("$id", id.Value));
        return await RegistryRows.ReadFirstAsync(command, RegistryRows.ReadReport, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteReportAsync(ReportId id, CancellationToken cancellationToken)
    {
        await using var write = await BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(write.Connection, null, "DELETE FROM registry_reports WHERE id = $id", cancellationToken, ("$id", id.Value)).ConfigureAwait(false) == 1;
    }

    /// <summary>Releases the write gate; the pooled connections stay until the pool is cleared.</summary>
    public void Dispose() => _writeGate.Dispose();

    private static async Task<SealRecord?> ReadSealAsync(SqliteConnection connection, SqliteTransaction? transaction, PartyId recipient, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            $"SELECT {RegistryRows.SealColumns} FROM registry_seals WHERE recipient = $r AND unsealed_at IS NULL",
            ("$r", recipient.Value));
        return await RegistryRows.ReadFirstAsync(command, RegistryRows.ReadSeal, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<AgreementVersionRecord>> ReadAgreementsAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.AgreementColumns} FROM registry_agreements {where} ORDER BY id, version", parameters);
        var rows = await RegistryRows.ReadAllAsync(command, RegistryRows.ReadAgreementVersion, cancellationToken).ConfigureAwait(false);
        var result = new List<AgreementVersionRecord>(rows.Count);
        foreach (var row in rows)
        {
            await using var signatures = Command(
                connection,
                null,
                $"SELECT {RegistryRows.SignatureColumns} FROM registry_agreement_signatures WHERE agreement_id = $id AND version = $v ORDER BY ordinal",
                ("$id", row.Id.Value),
                ("$v", row.Version));
            var list = await RegistryRows.ReadAllAsync(signatures, RegistryRows.ReadSignature, cancellationToken).ConfigureAwait(false);
            result.Add(row with { Signatures = list });
        }

        return result;
    }

    private async Task<IReadOnlyList<IdentityRecord>> ReadIdentitiesAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.IdentityColumns} FROM registry_identities {where} ORDER BY recipient, client_id", parameters);
        return await RegistryRows.ReadAllAsync(command, RegistryRows.ReadIdentity, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<TokenRecord>> ReadTokensAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {RegistryRows.TokenColumns} FROM registry_tokens {where} ORDER BY id", parameters);
        return await RegistryRows.ReadAllAsync(command, RegistryRows.ReadToken, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WriteLease> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new WriteLease(await OpenAsync(cancellationToken).ConfigureAwait(false), _writeGate);
        }
        catch
        {
            _writeGate.Release();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Only constant SQL text reaches here; every user value is a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // A connection opened under the write gate; disposing it closes the connection, then opens the gate.
    private sealed class WriteLease(SqliteConnection connection, SemaphoreSlim gate) : IAsyncDisposable
    {
        public SqliteConnection Connection => connection;

        public async ValueTask DisposeAsync()
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            gate.Release();
        }
    }
}
