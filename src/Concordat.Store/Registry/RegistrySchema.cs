namespace Concordat.Store.Registry;

/// <summary>
/// The registry's tables, for the engines that implement <see cref="IRegistryStore"/>: one layout of tables,
/// columns, keys and indexes, rendered with each engine's names for the column types.
/// </summary>
/// <remarks>
/// <para>Invariant: every engine creates the same tables, so that one conformance suite holds for all of them and the
/// column lists and record readers of <see cref="RegistryRows"/> fit each.</para>
/// <para>An engine runs the statements itself, with its own connection settings and any migration of its own (a
/// column added after a release, for example); the layout is the one thing the engines share.</para>
/// </remarks>
// CAUTION: persisted format: existing databases hold these tables; add columns (with a migration in each engine),
// never rename or retype one.
public static class RegistrySchema
{
    /// <summary>Renders the <c>CREATE ... IF NOT EXISTS</c> statements; running them again changes nothing.</summary>
    /// <param name="types">The engine's names for the column types.</param>
    /// <returns>The statements, separated by semicolons.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="types"/> is null.</exception>
    public static string CreateTables(RegistryColumnTypes types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var (text, int32, int64, bytes, boolean) = types;
        return $"""
            CREATE TABLE IF NOT EXISTS registry_parties (
                id {text} PRIMARY KEY, legal_name {text} NOT NULL, registered_at {int64} NOT NULL);
            CREATE TABLE IF NOT EXISTS registry_agreements (
                id {text} NOT NULL, version {int32} NOT NULL, digest {text} NOT NULL, document {bytes} NOT NULL,
                state {text} NOT NULL, uploaded_at {int64} NOT NULL, activated_at {int64}, PRIMARY KEY (id, version));
            CREATE TABLE IF NOT EXISTS registry_agreement_signatures (
                agreement_id {text} NOT NULL, version {int32} NOT NULL, ordinal {int32} NOT NULL,
                key_name {text} NOT NULL, signature {text} NOT NULL, PRIMARY KEY (agreement_id, version, ordinal));
            CREATE TABLE IF NOT EXISTS registry_identities (
                client_id {text} PRIMARY KEY, recipient {text} NOT NULL, role {text} NOT NULL, secret_hash {bytes} NOT NULL,
                created_at {int64} NOT NULL, revoked_at {int64});
            CREATE TABLE IF NOT EXISTS registry_tokens (
                id {text} PRIMARY KEY, hash {bytes} NOT NULL UNIQUE, client_id {text} NOT NULL, recipient {text} NOT NULL,
                agreement_id {text} NOT NULL, agreement_digest {text} NOT NULL, dataset {text} NOT NULL, purpose {text} NOT NULL,
                jurisdiction {text} NOT NULL, decision_id {text} NOT NULL, obligations {text} NOT NULL,
                issued_at {int64} NOT NULL, expires_at {int64} NOT NULL, revoked_at {int64}, subprocessor {text});
            CREATE INDEX IF NOT EXISTS registry_tokens_recipient ON registry_tokens (recipient);
            CREATE TABLE IF NOT EXISTS registry_seals (
                recipient {text} NOT NULL, sealed_at {int64} NOT NULL, reason {text} NOT NULL, tokens_revoked {int32} NOT NULL,
                identities_revoked {int32} NOT NULL, unsealed_at {int64});
            CREATE UNIQUE INDEX IF NOT EXISTS registry_seals_in_force ON registry_seals (recipient) WHERE unsealed_at IS NULL;
            CREATE TABLE IF NOT EXISTS registry_receipts (
                decision_id {text} PRIMARY KEY, token_id {text} NOT NULL, recipient {text} NOT NULL, dataset {text} NOT NULL,
                format {text} NOT NULL, rows {int64} NOT NULL, bytes {int64} NOT NULL, sha256 {text} NOT NULL,
                complete {boolean} NOT NULL, log_index {int64} NOT NULL, at {int64} NOT NULL);
            CREATE TABLE IF NOT EXISTS registry_reports (
                id {text} PRIMARY KEY, received_at {int64} NOT NULL, document {bytes} NOT NULL);
            """;
    }

    /// <summary>
    /// The columns added to the tables of <see cref="CreateTables"/> after their first release, as
    /// <c>(table, column, type)</c> with the engine's type names, all nullable: an engine adds each one its database
    /// lacks when it initializes, after creating the tables.
    /// </summary>
    /// <param name="types">The engine's names for the column types.</param>
    /// <returns>The added columns, oldest first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="types"/> is null.</exception>
    public static IReadOnlyList<(string Table, string Column, string Type)> AddedColumns(RegistryColumnTypes types)
    {
        ArgumentNullException.ThrowIfNull(types);
        return
        [
            ("registry_tokens", "subprocessor", types.Text),
            ("registry_agreements", "termination", types.Text),
            ("registry_agreements", "terminates_at", types.Number64),
            ("registry_receipts", "rows_withheld_by_consent", types.Number64),
            ("registry_receipts", "rows_withheld_by_residency", types.Number64),
            ("registry_receipts", "dataset_version", types.Number32),
            ("registry_receipts", "manifest", types.Text),
            ("registry_tokens", "action", types.Text),
        ];
    }
}
