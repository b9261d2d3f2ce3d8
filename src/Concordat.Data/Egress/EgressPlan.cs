using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Decisions;
using Concordat.Privacy;

namespace Concordat.Data.Egress;

/// <summary>
/// What leaves and how, for one token: the output columns with their field rules, and the row rules, compiled once
/// and shared by every stream the token opens.
/// </summary>
/// <remarks>
/// <para>
/// Fields without a rule leave unchanged; dropped fields leave no column. A row leaves only when, under consent, one
/// of the purposes its consent field lists (separated by <c>;</c>) is among the accepted purposes, and, under
/// residency, its residency field names an accepted jurisdiction (ASCII case-insensitive). An empty or null consent
/// or residency value withholds the row.
/// </para>
/// <para>
/// The plan is immutable and safe to share between threads; it holds the pseudonym key, never the master key.
/// Disposing the plan zeroes the key, so it MUST be disposed only after every stream that uses it has ended.
/// </para>
/// </remarks>
public sealed class EgressPlan : IDisposable
{
    private const string KeyIdLabel = "concordat/pseudonym-key-id/v1";

    private EgressPlan(
        DatasetId dataset,
        IReadOnlyList<DatasetSchemaField> schema,
        EgressColumn[] columns,
        int consentIndex,
        byte[][] acceptedPurposes,
        int residencyIndex,
        byte[][] acceptedResidencies,
        PseudonymKey? pseudonymKey)
    {
        Dataset = dataset;
        Schema = schema;
        Columns = columns;
        ConsentIndex = consentIndex;
        AcceptedPurposes = acceptedPurposes;
        ResidencyIndex = residencyIndex;
        AcceptedResidencies = acceptedResidencies;
        PseudonymKey = pseudonymKey;
    }

    /// <summary>Gets the dataset.</summary>
    internal DatasetId Dataset { get; }

    /// <summary>Gets the fields of the stored rows the plan reads.</summary>
    internal IReadOnlyList<DatasetSchemaField> Schema { get; }

    /// <summary>Gets the columns that leave, in schema order.</summary>
    /// <remarks>An array, so that the per-row loops over it allocate no enumerator.</remarks>
    internal EgressColumn[] Columns { get; }

    /// <summary>Gets the index of the consent field, or -1 when consent is not required.</summary>
    internal int ConsentIndex { get; }

    /// <summary>Gets the purposes (UTF-8) whose consent covers the request's purpose.</summary>
    internal byte[][] AcceptedPurposes { get; }

    /// <summary>Gets the index of the residency field, or -1 when residency is not required.</summary>
    internal int ResidencyIndex { get; }

    /// <summary>Gets the accepted residency jurisdictions (UTF-8).</summary>
    internal byte[][] AcceptedResidencies { get; }

    /// <summary>Gets the key pseudonyms are computed under, when a column is pseudonymised.</summary>
    internal PseudonymKey? PseudonymKey { get; }

    /// <summary>Gets the columns that leave, in schema order, as a writer of another format needs them.</summary>
    public IReadOnlyList<EgressField> Fields => [.. Columns.Select(c => new EgressField(c.Name, c.Type, c.Kind != FieldRuleKind.Allow))];

    /// <summary>
    /// Computes the digest of everything that decides the bytes a file written under this plan holds: the dataset
    /// version (its manifest), the columns with their field rules, the row rules with the accepted purposes and
    /// residencies, and the pseudonym key's id.
    /// </summary>
    /// <param name="manifest">The stored version the rows come from.</param>
    /// <returns>The digest a cache of written files MUST key on: any less would let one recipient or purpose receive a file written for another.</returns>
    /// <remarks>
    /// The key id is the pseudonym of a fixed label under the key: it changes with the recipient, the dataset and
    /// the master key, and reveals none of them.
    /// </remarks>
    public Sha256Digest ComputeDigest(DatasetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        string? keyId = null;
        if (PseudonymKey is { } key)
        {
            using var pseudonymiser = new Pseudonymiser(key);
            keyId = pseudonymiser.Pseudonymise(KeyIdLabel);
        }

        // Invariant: the purpose is the first accepted purpose; the rest are the broader ones whose consent covers it.
        var plan = new JsonObject
        {
            ["format"] = "concordat/egress-plan/v1",
            ["dataset"] = manifest.DatasetId.Value,
            ["version"] = manifest.Version.Number,
            ["manifest"] = manifest.ComputeDigest().ToString(),
            ["columns"] = new JsonArray([.. Columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name.Value,
                ["type"] = DatasetManifest.TypeName(c.Type),
                ["rule"] = c.Kind.ToString(),
                ["maskKeep"] = c.MaskKeep,
                ["generalisation"] = c.Kind == FieldRuleKind.Generalise ? $"{c.Generalisation.Kind}:{c.Generalisation.Amount}" : null,
            })]),
            ["consentField"] = ConsentIndex >= 0 ? Schema[ConsentIndex].Name.Value : null,
            ["acceptedPurposes"] = new JsonArray([.. AcceptedPurposes.Select(p => (JsonNode)Encoding.UTF8.GetString(p))]),
            ["residencyField"] = ResidencyIndex >= 0 ? Schema[ResidencyIndex].Name.Value : null,
            ["acceptedResidencies"] = new JsonArray([.. AcceptedResidencies.Select(r => (JsonNode)Encoding.UTF8.GetString(r))]),
            ["pseudonymKeyId"] = keyId,
        };
        return CanonicalJson.Digest(plan);
    }

    /// <summary>
    /// Compiles the plan a permit to read rows calls for: the permit's field and row rules, carried out on the
    /// agreement's definition of the dataset for one recipient and purpose.
    /// </summary>
    /// <param name="agreement">The agreement in force that permits.</param>
    /// <param name="dataset">The dataset read; <paramref name="agreement"/> declares it.</param>
    /// <param name="recipient">The recipient the rows leave to: pseudonyms are computed under its key for the dataset.</param>
    /// <param name="purpose">The request's purpose: a row's consent to it, or to any broader purpose that covers it, lets the row leave.</param>
    /// <param name="obligations">The permit's obligations.</param>
    /// <param name="pseudonymMasterKey">The provider's pseudonymisation master key; the recipient's key is derived from it only when a field is pseudonymised.</param>
    /// <param name="plan">The plan, when the rules can be carried out on the dataset; it owns the derived key, so dispose it when the stream ends.</param>
    /// <param name="diagnostics">Why not (GW626x codes); empty on success.</param>
    /// <returns><see langword="true"/> when the plan was compiled. On <see langword="false"/> the caller MUST deny: rules it cannot carry out never let rows leave.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="agreement"/> does not declare <paramref name="dataset"/>.</exception>
    /// <exception cref="ArgumentException">A field is pseudonymised and the master key is shorter than <see cref="PseudonymKey.MinimumMasterKeyLength"/> bytes.</exception>
    public static bool TryCompile(
        Agreement agreement,
        DatasetId dataset,
        PartyId recipient,
        PurposeId purpose,
        Obligations obligations,
        ReadOnlySpan<byte> pseudonymMasterKey,
        [NotNullWhen(true)] out EgressPlan? plan,
        out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(obligations);
        var definition = agreement.Datasets.First(d => d.Id == dataset);
        return TryCompile(agreement, definition, obligations.FieldRules, recipient, purpose, obligations, pseudonymMasterKey, out plan, out diagnostics);
    }

    /// <summary>
    /// Compiles the plan a permit to read rows calls for on a stored version imported under another schema than the
    /// agreement in force declares (an amendment added or removed fields since): the permit's rules carried out on the
    /// fields the version holds, so that only what the agreement in force declares leaves, as it says.
    /// </summary>
    /// <param name="agreement">The agreement in force that permits.</param>
    /// <param name="dataset">The dataset read; <paramref name="agreement"/> declares it.</param>
    /// <param name="storedSchema">The fields the stored version holds, in the order of its rows' values.</param>
    /// <param name="recipient">The recipient the rows leave to.</param>
    /// <param name="purpose">The request's purpose.</param>
    /// <param name="obligations">The permit's obligations.</param>
    /// <param name="pseudonymMasterKey">The provider's pseudonymisation master key.</param>
    /// <param name="plan">The plan, when the rules can be carried out on the stored fields; dispose it when the stream ends.</param>
    /// <param name="diagnostics">Why not (GW626x codes); empty on success.</param>
    /// <returns><see langword="true"/> when the plan was compiled. On <see langword="false"/> the caller MUST NOT send the version's rows.</returns>
    /// <remarks>
    /// Security: a stored field the agreement in force does not declare is dropped; a field rule naming a field the
    /// version lacks has nothing to act on; a field the agreement declares with another type than the version holds
    /// (GW6267), and a consent or residency field the version lacks under row rules, fail the compilation.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><paramref name="agreement"/> does not declare <paramref name="dataset"/>.</exception>
    public static bool TryCompileForStoredSchema(
        Agreement agreement,
        DatasetId dataset,
        IReadOnlyList<DatasetSchemaField> storedSchema,
        PartyId recipient,
        PurposeId purpose,
        Obligations obligations,
        ReadOnlySpan<byte> pseudonymMasterKey,
        [NotNullWhen(true)] out EgressPlan? plan,
        out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(storedSchema);
        ArgumentNullException.ThrowIfNull(obligations);
        var declared = agreement.Datasets.First(d => d.Id == dataset);
        var fields = new List<FieldDefinition>(storedSchema.Count);
        var rules = new List<FieldRule>();
        foreach (var stored in storedSchema)
        {
            var field = declared.Fields.FirstOrDefault(f => f.Name == stored.Name);
            if (field is not null && field.Type != stored.Type)
            {
                plan = null;
                diagnostics = [Error(EgressErrorCodes.SchemaMismatch, $"field `{stored.Name}` of dataset `{dataset}` is stored as `{DatasetManifest.TypeName(stored.Type)}` but the agreement declares `{DatasetManifest.TypeName(field.Type)}`")];
                return false;
            }

            // Security: a field the agreement in force does not declare never leaves.
            fields.Add(field ?? new FieldDefinition(stored.Name, stored.Type, FieldClassification.Sensitive));
            if (field is null)
            {
                rules.Add(new FieldRule(stored.Name, FieldRuleKind.Drop, null));
            }
        }

        rules.AddRange(obligations.FieldRules.Where(r => storedSchema.Any(f => f.Name == r.Field)));
        return TryCompile(agreement, declared with { Fields = fields }, rules, recipient, purpose, obligations, pseudonymMasterKey, out plan, out diagnostics);
    }

    // The plan for the definition given (the agreement's, or one built for a stored schema) and the field rules that act on it.
    private static bool TryCompile(
        Agreement agreement,
        DatasetDefinition definition,
        IReadOnlyList<FieldRule> fieldRules,
        PartyId recipient,
        PurposeId purpose,
        Obligations obligations,
        ReadOnlySpan<byte> pseudonymMasterKey,
        [NotNullWhen(true)] out EgressPlan? plan,
        out IReadOnlyList<Diagnostic> diagnostics)
    {
        var pseudonymKey = fieldRules.Any(r => r.Kind == FieldRuleKind.Pseudonymise)
            ? PseudonymKey.Derive(pseudonymMasterKey, recipient, definition.Id)
            : null;
        var rowRules = obligations.RequireConsent || obligations.Residency is not null ? new RowRules(obligations.RequireConsent, obligations.Residency ?? []) : null;
        var residencies = rowRules is null ? null : Jurisdiction.ExpandGroups(rowRules.Residency);
        if (!TryCompile(definition, fieldRules, rowRules, PurposesCovering(agreement, purpose), residencies, pseudonymKey, out plan, out diagnostics))
        {
            pseudonymKey?.Dispose();
            return false;
        }

        return true;
    }

    /// <summary>Compiles the plan for a permitted request.</summary>
    /// <param name="dataset">The agreement's definition of the dataset.</param>
    /// <param name="fieldRules">The grant's field rules.</param>
    /// <param name="rowRules">The grant's row rules, when any.</param>
    /// <param name="acceptedPurposes">The request's purpose and every broader purpose that covers it: a row's consent to any of them lets it leave.</param>
    /// <param name="acceptedResidencies">The jurisdictions a row may be resident in, with groups such as <c>EU</c> already expanded; <see langword="null"/> takes the row rules' list as written.</param>
    /// <param name="pseudonymKey">The recipient's key for the dataset; required when a field is pseudonymised, and then owned by the plan.</param>
    /// <param name="plan">The plan, when the rules can be carried out on the dataset.</param>
    /// <param name="diagnostics">Why not (GW626x codes); empty on success.</param>
    /// <returns><see langword="true"/> when the plan was compiled. On <see langword="false"/> the gateway MUST deny: rules it cannot carry out never let rows leave.</returns>
    internal static bool TryCompile(
        DatasetDefinition dataset,
        IReadOnlyList<FieldRule> fieldRules,
        RowRules? rowRules,
        IReadOnlyCollection<PurposeId> acceptedPurposes,
        IReadOnlyCollection<Jurisdiction>? acceptedResidencies,
        PseudonymKey? pseudonymKey,
        [NotNullWhen(true)] out EgressPlan? plan,
        out IReadOnlyList<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fieldRules);
        ArgumentNullException.ThrowIfNull(acceptedPurposes);
        plan = null;
        var problems = new List<Diagnostic>();
        var fields = dataset.Fields;
        var rules = new FieldRule?[fields.Count];
        foreach (var rule in fieldRules)
        {
            var index = IndexOf(fields, rule.Field);
            if (index < 0)
            {
                problems.Add(Error(EgressErrorCodes.UnknownField, $"a field rule names `{rule.Field}`, a field dataset `{dataset.Id}` lacks"));
            }
            else if (rules[index] is not null)
            {
                problems.Add(Error(EgressErrorCodes.DuplicateRule, $"field `{rule.Field}` of dataset `{dataset.Id}` has two field rules"));
            }
            else
            {
                rules[index] = rule;
            }
        }

        var columns = new List<EgressColumn>(fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            var column = CompileColumn(i, fields[i], rules[i], pseudonymKey, problems);
            if (column is not null)
            {
                columns.Add(column);
            }
        }

        var consentIndex = -1;
        if (rowRules?.RequireConsent == true)
        {
            consentIndex = dataset.ConsentField is { } consent ? IndexOf(fields, consent) : -1;
            if (consentIndex < 0)
            {
                problems.Add(Error(EgressErrorCodes.NoConsentField, $"the grant requires consent but dataset `{dataset.Id}` declares no consent field"));
            }
        }

        var residencyIndex = -1;
        var residencies = acceptedResidencies ?? rowRules?.Residency ?? [];
        if (rowRules is { Residency.Count: > 0 })
        {
            residencyIndex = dataset.ResidencyField is { } residency ? IndexOf(fields, residency) : -1;
            if (residencyIndex < 0)
            {
                problems.Add(Error(EgressErrorCodes.NoResidencyField, $"the grant restricts residency but dataset `{dataset.Id}` declares no residency field"));
            }
        }

        diagnostics = problems;
        if (problems.Count > 0)
        {
            return false;
        }

        plan = new EgressPlan(
            dataset.Id,
            [.. fields.Select(f => new DatasetSchemaField(f.Name, f.Type))],
            [.. columns],
            consentIndex,
            [.. acceptedPurposes.Select(p => Encoding.UTF8.GetBytes(p.Value))],
            residencyIndex,
            [.. residencies.Select(j => Encoding.UTF8.GetBytes(j.Value))],
            columns.Any(c => c.Kind == FieldRuleKind.Pseudonymise) ? pseudonymKey : null);
        return true;
    }

    /// <summary>Returns whether the stored rows have exactly the fields, order and types the plan was compiled for.</summary>
    /// <remarks>When they differ the gateway MUST NOT send rows (GW6267): the agreement no longer describes the data.</remarks>
    internal bool Matches(IReadOnlyList<DatasetSchemaField> schema) => schema.SequenceEqual(Schema);

    /// <summary>Applies the row rules to the reader's current row: the one place consent and residency are checked.</summary>
    /// <param name="rows">The reader, on a row.</param>
    /// <returns>Whether the row may be used, or which rule withholds it.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal RowAdmission Admit(DatasetRowReader rows)
    {
        if (ConsentIndex >= 0 && !ConsentCovers(rows.GetValue(ConsentIndex)))
        {
            return RowAdmission.WithheldByConsent;
        }

        if (ResidencyIndex >= 0 && !IsResident(rows.GetValue(ResidencyIndex)))
        {
            return RowAdmission.WithheldByResidency;
        }

        return RowAdmission.Admitted;
    }

    /// <summary>
    /// Replays the plan's row rules on a stored version to tell whether an egress under it carried a data subject: one
    /// of the subject's rows passes consent and residency (field rules change what leaves of a row, never whether it
    /// leaves).
    /// </summary>
    /// <param name="store">The dataset store.</param>
    /// <param name="manifest">The version the egress served.</param>
    /// <param name="key">The dataset's entity key.</param>
    /// <param name="subjects">The subject's identifiers, as stored.</param>
    /// <param name="cancellationToken">Stops the scan.</param>
    /// <returns>Whether a row of the subject would have left; <see langword="true"/> when the plan does not describe the version's schema, since the rules cannot be replayed then.</returns>
    public async Task<bool> CarriesAnyAsync(DatasetStore store, DatasetManifest manifest, FieldName key, IReadOnlySet<string> subjects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        if (!Matches(manifest.Schema))
        {
            // Security: rules that cannot be replayed never hide an egress from the erasure; the recipient is told.
            return true;
        }

        if (SubjectRows.For(manifest.Schema, key, subjects) is not { } match)
        {
            return false;
        }

        await using var rows = store.OpenRows(manifest);
        while (await rows.ReadAsync(cancellationToken))
        {
            if (match.Matches(rows) && Admit(rows) == RowAdmission.Admitted)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Zeroes the pseudonym key the plan holds, if any.</summary>
    public void Dispose() => PseudonymKey?.Dispose();

    /// <summary>The request's purpose and every broader purpose that covers it: a row's consent to any of them lets it leave.</summary>
    private static List<PurposeId> PurposesCovering(Agreement agreement, PurposeId purpose)
    {
        var accepted = new List<PurposeId>();
        var current = (PurposeId?)purpose;
        while (current is { } id && !accepted.Contains(id))
        {
            accepted.Add(id);
            current = agreement.Purposes.FirstOrDefault(p => p.Id == id)?.Broader;
        }

        return accepted;
    }

    private static EgressColumn? CompileColumn(int index, FieldDefinition field, FieldRule? rule, PseudonymKey? key, List<Diagnostic> problems)
    {
        var kind = rule?.Kind ?? FieldRuleKind.Allow;
        var maskKeep = 0;
        var generalisation = default(Generalisation);
        switch (kind)
        {
            case FieldRuleKind.Drop:
                return null;
            case FieldRuleKind.Mask when rule!.Parameter is { } parameter &&
                (!int.TryParse(parameter, NumberStyles.None, CultureInfo.InvariantCulture, out maskKeep) || maskKeep > 1024):
                problems.Add(Error(EgressErrorCodes.InvalidMask, $"the mask rule of field `{field.Name}` keeps `{parameter}` characters, not a whole number from 0 to 1024"));
                return null;
            case FieldRuleKind.Generalise:
                if (!Generalisation.TryParse(rule!.Parameter, out generalisation))
                {
                    problems.Add(Error(EgressErrorCodes.InvalidGeneralisation, $"the generalise rule of field `{field.Name}` has parameter `{rule.Parameter}`; expected `month`, `year`, `range:N` or `prefix:N`"));
                    return null;
                }

                if (!Fits(generalisation.Kind, field.Type))
                {
                    problems.Add(Error(EgressErrorCodes.InvalidGeneralisation, $"the generalise rule `{rule.Parameter}` does not fit field `{field.Name}` of type `{DatasetManifest.TypeName(field.Type)}`"));
                    return null;
                }

                break;
            case FieldRuleKind.Pseudonymise when key is null:
                problems.Add(Error(EgressErrorCodes.NoPseudonymKey, $"field `{field.Name}` is pseudonymised but no pseudonym key was given"));
                return null;
        }

        var utf8Name = Encoding.UTF8.GetBytes(field.Name.Value);
        var csvName = new byte[EgressWriter.MaxCsvFieldLength(utf8Name.Length)];
        var csvLength = EgressWriter.WriteCsvField(utf8Name, csvName);
        var jsonName = new byte[JsonText.MaxStringLength(utf8Name.Length) + 1];
        var jsonLength = JsonText.WriteString(utf8Name, jsonName);
        jsonName[jsonLength++] = (byte)':';
        return new EgressColumn(index, field.Name, field.Type, kind, maskKeep, generalisation, csvName[..csvLength], jsonName[..jsonLength]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ConsentCovers(ReadOnlySpan<byte> consent)
    {
        foreach (var range in consent.Split((byte)';'))
        {
            var purpose = consent[range].Trim((byte)' ');
            foreach (var accepted in AcceptedPurposes)
            {
                if (purpose.Length > 0 && purpose.SequenceEqual(accepted))
                {
                    return true;
                }
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool IsResident(ReadOnlySpan<byte> residency)
    {
        var value = residency.Trim((byte)' ');
        foreach (var accepted in AcceptedResidencies)
        {
            if (value.Length > 0 && Ascii.EqualsIgnoreCase(value, accepted))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Fits(GeneralisationKind kind, FieldType type) => kind switch
    {
        GeneralisationKind.Month or GeneralisationKind.Year => type is FieldType.Date or FieldType.DateTime,
        GeneralisationKind.Range => type is FieldType.Integer or FieldType.Decimal,
        _ => type is FieldType.Postcode or FieldType.String,
    };

    private static int IndexOf(IReadOnlyList<FieldDefinition> fields, FieldName name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static Diagnostic Error(ErrorCode code, string message) => code.Error(message);
}
