using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Gateway.Datasets;
using Concordat.Privacy;

namespace Concordat.Gateway.Egress;

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
/// <para>The plan is immutable and safe to share between threads; it holds the pseudonym key, never the master key.</para>
/// </remarks>
internal sealed class EgressPlan
{
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
    public DatasetId Dataset { get; }

    /// <summary>Gets the fields of the stored rows the plan reads.</summary>
    public IReadOnlyList<DatasetSchemaField> Schema { get; }

    /// <summary>Gets the columns that leave, in schema order.</summary>
    /// <remarks>An array, so that the per-row loops over it allocate no enumerator.</remarks>
    public EgressColumn[] Columns { get; }

    /// <summary>Gets the index of the consent field, or -1 when consent is not required.</summary>
    public int ConsentIndex { get; }

    /// <summary>Gets the purposes (UTF-8) whose consent covers the request's purpose.</summary>
    public byte[][] AcceptedPurposes { get; }

    /// <summary>Gets the index of the residency field, or -1 when residency is not required.</summary>
    public int ResidencyIndex { get; }

    /// <summary>Gets the accepted residency jurisdictions (UTF-8).</summary>
    public byte[][] AcceptedResidencies { get; }

    /// <summary>Gets the key pseudonyms are computed under, when a column is pseudonymised.</summary>
    public PseudonymKey? PseudonymKey { get; }

    /// <summary>Compiles the plan for a permitted request.</summary>
    /// <param name="dataset">The agreement's definition of the dataset.</param>
    /// <param name="fieldRules">The grant's field rules.</param>
    /// <param name="rowRules">The grant's row rules, when any.</param>
    /// <param name="acceptedPurposes">The request's purpose and every broader purpose that covers it: a row's consent to any of them lets it leave.</param>
    /// <param name="acceptedResidencies">The jurisdictions a row may be resident in, with groups such as <c>EU</c> already expanded; <see langword="null"/> takes the row rules' list as written.</param>
    /// <param name="pseudonymKey">The recipient's key for the dataset; required when a field is pseudonymised.</param>
    /// <param name="plan">The plan, when the rules can be carried out on the dataset.</param>
    /// <param name="diagnostics">Why not (GW626x codes); empty on success.</param>
    /// <returns><see langword="true"/> when the plan was compiled. On <see langword="false"/> the gateway MUST deny: rules it cannot carry out never let rows leave.</returns>
    public static bool TryCompile(
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
    public bool Matches(IReadOnlyList<DatasetSchemaField> schema) => schema.SequenceEqual(Schema);

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
