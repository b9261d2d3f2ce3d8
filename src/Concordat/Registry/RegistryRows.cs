using System.Data.Common;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Decisions;

namespace Concordat.Registry;

/// <summary>
/// The registry's rows as every engine reads them: the column lists a store selects and the mapping of one row
/// to a record, over the engine-neutral <see cref="DbDataReader"/>.
/// </summary>
/// <remarks>
/// Invariant: each <c>XColumns</c> list and its <c>ReadX</c> mapping agree on column order; a store MUST select
/// exactly the list it maps. The SQL around the list (filters, parameters, locking) stays in each store.
/// </remarks>
internal static class RegistryRows
{
    public const string PartyColumns = "id, legal_name, registered_at";

    public const string AgreementColumns = "id, version, digest, document, state, uploaded_at, activated_at";

    public const string SignatureColumns = "key_name, signature";

    public const string IdentityColumns = "client_id, recipient, role, secret_hash, created_at, revoked_at";

    public const string TokenColumns = "id, hash, client_id, recipient, agreement_id, agreement_digest, dataset, purpose, jurisdiction, decision_id, obligations, issued_at, expires_at, revoked_at, subprocessor";

    public const string SealColumns = "recipient, sealed_at, reason, tokens_revoked, identities_revoked";

    public const string ReceiptColumns = "decision_id, token_id, recipient, dataset, format, rows, bytes, sha256, complete, log_index, at";

    public static PartyRecord ReadParty(DbDataReader row) =>
        new(new PartyId(row.GetString(0)), row.GetString(1), StoredInstant.FromMicros(row.GetInt64(2)));

    /// <summary>Reads an agreement version without its signatures, which live in their own table.</summary>
    public static AgreementVersionRecord ReadAgreementVersion(DbDataReader row) =>
        new(
            new AgreementId(row.GetString(0)),
            row.GetInt32(1),
            Sha256Digest.Parse(row.GetString(2)),
            row.GetFieldValue<byte[]>(3),
            [],
            Enum.Parse<AgreementState>(row.GetString(4)),
            StoredInstant.FromMicros(row.GetInt64(5)),
            ReadInstant(row, 6));

    public static AgreementSignatureRecord ReadSignature(DbDataReader row) =>
        new(row.GetString(0), row.GetString(1));

    public static IdentityRecord ReadIdentity(DbDataReader row) =>
        new(
            new IdentityId(row.GetString(0)),
            new PartyId(row.GetString(1)),
            Enum.Parse<IdentityRole>(row.GetString(2)),
            row.GetFieldValue<byte[]>(3),
            StoredInstant.FromMicros(row.GetInt64(4)),
            ReadInstant(row, 5));

    public static TokenRecord ReadToken(DbDataReader row) =>
        new(
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
            row.IsDBNull(14) ? null : new PartyId(row.GetString(14)));

    /// <summary>Reads a seal in force (the stores select only seals whose <c>unsealed_at</c> is null).</summary>
    public static SealRecord ReadSeal(DbDataReader row) =>
        new(new PartyId(row.GetString(0)), StoredInstant.FromMicros(row.GetInt64(1)), row.GetString(2), row.GetInt32(3), row.GetInt32(4), null);

    public static ReceiptRecord ReadReceipt(DbDataReader row) =>
        new(
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
            StoredInstant.FromMicros(row.GetInt64(10)));

    /// <summary>Runs a query and maps every row.</summary>
    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(map(reader));
        }

        return list;
    }

    /// <summary>Runs a query and maps its first row, or returns <see langword="null"/> when it has none.</summary>
    public static async Task<T?> ReadFirstAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : null;
    }

    private static DateTimeOffset? ReadInstant(DbDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : StoredInstant.FromMicros(row.GetInt64(ordinal));
}
