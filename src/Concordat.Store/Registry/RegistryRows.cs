using System.Data.Common;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Store.Registry;

/// <summary>
/// The registry's rows as every engine reads them: the column lists a store selects from the tables of
/// <see cref="RegistrySchema"/>, and the mapping of one row to a record over the engine-neutral
/// <see cref="DbDataReader"/>.
/// </summary>
/// <remarks>
/// Invariant: each <c>XColumns</c> list and its <c>ReadX</c> mapping agree on column order; a store MUST select
/// exactly the list it maps. The SQL around the list (filters, parameters, locking) stays in each engine.
/// </remarks>
public static class RegistryRows
{
    /// <summary>The columns of <c>registry_parties</c> that <see cref="ReadParty"/> maps, in order.</summary>
    public const string PartyColumns = "id, legal_name, registered_at";

    /// <summary>The columns of <c>registry_agreements</c> that <see cref="ReadAgreementVersion"/> maps, in order.</summary>
    public const string AgreementColumns = "id, version, digest, document, state, uploaded_at, activated_at, termination, terminates_at";

    /// <summary>The columns of <c>registry_agreement_signatures</c> that <see cref="ReadSignature"/> maps, in order.</summary>
    public const string SignatureColumns = "key_name, signature";

    /// <summary>The columns of <c>registry_identities</c> that <see cref="ReadIdentity"/> maps, in order.</summary>
    public const string IdentityColumns = "client_id, recipient, role, secret_hash, created_at, revoked_at";

    /// <summary>The columns of <c>registry_tokens</c> that <see cref="ReadToken"/> maps, in order.</summary>
    public const string TokenColumns = "id, hash, client_id, recipient, agreement_id, agreement_digest, dataset, purpose, jurisdiction, decision_id, obligations, issued_at, expires_at, revoked_at, subprocessor, action";

    /// <summary>The columns of <c>registry_seals</c> that <see cref="ReadSeal"/> maps, in order.</summary>
    public const string SealColumns = "recipient, sealed_at, reason, tokens_revoked, identities_revoked";

    /// <summary>The columns of <c>registry_receipts</c> that <see cref="ReadReceipt"/> maps, in order.</summary>
    public const string ReceiptColumns = "decision_id, token_id, recipient, dataset, format, rows, bytes, sha256, complete, log_index, at, rows_withheld_by_consent, rows_withheld_by_residency, dataset_version, manifest";

    /// <summary>The columns of <c>registry_reports</c> that <see cref="ReadReport"/> maps, in order.</summary>
    public const string ReportColumns = "id, received_at, document";

    /// <summary>Reads a party from a row of <see cref="PartyColumns"/>.</summary>
    /// <param name="row">The reader, on the row.</param>
    /// <returns>The party.</returns>
    public static PartyRecord ReadParty(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(new PartyId(row.GetString(0)), row.GetString(1), StoredInstant.FromMicros(row.GetInt64(2)));
    }

    /// <summary>Reads an agreement version from a row of <see cref="AgreementColumns"/>, without its signatures, which live in their own table.</summary>
    /// <param name="row">The reader, on the row.</param>
    /// <returns>The version, with no signatures.</returns>
    public static AgreementVersionRecord ReadAgreementVersion(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            new AgreementId(row.GetString(0)),
            row.GetInt32(1),
            Sha256Digest.Parse(row.GetString(2)),
            row.GetFieldValue<byte[]>(3),
            [],
            Enum.Parse<AgreementVersionState>(row.GetString(4)),
            StoredInstant.FromMicros(row.GetInt64(5)),
            ReadInstant(row, 6),
            row.IsDBNull(7) ? null : row.GetString(7),
            ReadInstant(row, 8));
    }

    /// <summary>Reads a signature from a row of <see cref="SignatureColumns"/>.</summary>
    /// <param name="row">The reader, on the row.</param>
    /// <returns>The signature.</returns>
    public static AgreementSignatureRecord ReadSignature(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(row.GetString(0), row.GetString(1));
    }

    /// <summary>Reads a service identity from a row of <see cref="IdentityColumns"/>.</summary>
    /// <param name="row">The reader, on the row.</param>
    /// <returns>The identity.</returns>
    public static IdentityRecord ReadIdentity(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            new IdentityId(row.GetString(0)),
            new PartyId(row.GetString(1)),
            Enum.Parse<IdentityRole>(row.GetString(2)),
            row.GetFieldValue<byte[]>(3),
            StoredInstant.FromMicros(row.GetInt64(4)),
            ReadInstant(row, 5));
    }

    /// <summary>Reads a token from a row of <see cref="TokenColumns"/>.</summary>
    /// <param name="row">The reader, on the row.</param>
    /// <returns>The token.</returns>
    public static TokenRecord ReadToken(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            new TokenId(row.GetString(0)),
            row.GetFieldValue<byte[]>(1),
            new IdentityId(row.GetString(2)),
            new PartyId(row.GetString(3)),
            new AgreementId(row.GetString(4)),
            Sha256Digest.Parse(row.GetString(5)),
            new DatasetId(row.GetString(6)),
            new PurposeId(row.GetString(7)),
            new Jurisdiction(row.GetString(8)),
            new DecisionId(row.GetString(9)),
            row.GetString(10),
            StoredInstant.FromMicros(row.GetInt64(11)),
            StoredInstant.FromMicros(row.GetInt64(12)),
            ReadInstant(row, 13),
            row.IsDBNull(14) ? null : new PartyId(row.GetString(14)),
            row.IsDBNull(15) || !DecisionNames.TryParseAction(row.GetString(15), out var action) ? null : action);
    }

    /// <summary>Reads a seal in force from a row of <see cref="SealColumns"/> (a store selects only seals whose <c>unsealed_at</c> is null).</summary>
    /// <param name="row">The reader, on the row.</param>
    /// <returns>The seal, with no unseal time.</returns>
    public static SealRecord ReadSeal(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(new PartyId(row.GetString(0)), StoredInstant.FromMicros(row.GetInt64(1)), row.GetString(2), row.GetInt32(3), row.GetInt32(4), null);
    }

    /// <summary>Reads a receipt from a row of <see cref="ReceiptColumns"/>.</summary>
    /// <param name="row">The reader, on the row.</param>
    /// <returns>The receipt.</returns>
    public static ReceiptRecord ReadReceipt(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(
            new DecisionId(row.GetString(0)),
            new TokenId(row.GetString(1)),
            new PartyId(row.GetString(2)),
            new DatasetId(row.GetString(3)),
            row.GetString(4),
            row.GetInt64(5),
            row.GetInt64(6),
            Sha256Digest.Parse(row.GetString(7)),
            row.GetBoolean(8),
            row.GetInt64(9),
            StoredInstant.FromMicros(row.GetInt64(10)),
            row.IsDBNull(11) ? null : row.GetInt64(11),
            row.IsDBNull(12) ? null : row.GetInt64(12),
            row.IsDBNull(13) ? null : row.GetInt32(13),
            row.IsDBNull(14) ? null : Sha256Digest.Parse(row.GetString(14)));
    }

    /// <summary>Reads the content of a report from a row of <see cref="ReportColumns"/>.</summary>
    /// <param name="row">The reader, on the row.</param>
    /// <returns>The report's content.</returns>
    public static ReportContentRecord ReadReport(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new(new ReportId(row.GetString(0)), StoredInstant.FromMicros(row.GetInt64(1)), row.GetFieldValue<byte[]>(2));
    }

    /// <summary>Runs a query and maps every row.</summary>
    /// <typeparam name="T">What a row maps to.</typeparam>
    /// <param name="command">The query.</param>
    /// <param name="map">Maps the reader's current row.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, mapped, in the order the query returned them.</returns>
    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(map);
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }

    /// <summary>Runs a query and maps its first row.</summary>
    /// <typeparam name="T">What a row maps to.</typeparam>
    /// <param name="command">The query.</param>
    /// <param name="map">Maps the reader's current row.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The first row, mapped, or <see langword="null"/> when the query returned none.</returns>
    public static async Task<T?> ReadFirstAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(map);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
    }

    private static DateTimeOffset? ReadInstant(DbDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : StoredInstant.FromMicros(row.GetInt64(ordinal));
}
