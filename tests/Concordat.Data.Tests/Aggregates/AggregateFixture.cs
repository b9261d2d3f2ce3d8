using System.Text;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Data.Aggregates;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Privacy;
using Concordat.Testing.Datasets;
using Concordat.Testing.Privacy;

namespace Concordat.Data.Tests.Aggregates;

/// <summary>A small visits dataset, its plans and a runner for the aggregate tests.</summary>
internal static class AggregateFixture
{
    public static readonly DatasetDefinition Definition = SyntheticPatients.Definition("visits") with
    {
        Fields =
        [
            new FieldDefinition(new FieldName("id"), FieldType.String, FieldClassification.DirectIdentifier),
            new FieldDefinition(new FieldName("name"), FieldType.String, FieldClassification.DirectIdentifier),
            new FieldDefinition(new FieldName("region"), FieldType.String, FieldClassification.Plain),
            new FieldDefinition(new FieldName("age"), FieldType.Integer, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("amount"), FieldType.Integer, FieldClassification.Sensitive),
            new FieldDefinition(new FieldName("bmi"), FieldType.Decimal, FieldClassification.Sensitive),
            new FieldDefinition(new FieldName("consent"), FieldType.String, FieldClassification.Plain),
        ],
        ConsentField = new FieldName("consent"),
        ResidencyField = null,
    };

    /// <summary>A budget so large that the noise is zero with overwhelming probability (σ² below 10^-9).</summary>
    public const string Exact = "\"rho\": \"1000000000000\"";

    public static readonly byte[] Master = [.. Enumerable.Range(3, 32).Select(i => (byte)i)];

    public static string Row(string id, string region, int age, long? amount, string consent = "research") =>
        $"[\"{id}\",\"name of {id}\",\"{region}\",{age},{(amount is { } a ? a.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")},1.5,\"{consent}\"]";

    public static EgressPlan EgressOf(IReadOnlyList<FieldRule>? rules = null, bool requireConsent = false)
    {
        var compiled = EgressPlan.TryCompile(
            Definition,
            rules ?? [new FieldRule(new FieldName("name"), FieldRuleKind.Drop, null), new FieldRule(new FieldName("id"), FieldRuleKind.Pseudonymise, null)],
            requireConsent ? new RowRules(true, []) : null,
            [new PurposeId("research")],
            null,
            PseudonymKey.Derive(Master, new PartyId("lab"), Definition.Id),
            out var plan,
            out var diagnostics);
        Assert.True(compiled, string.Join("; ", diagnostics));
        return plan!;
    }

    public static AggregateQuery Query(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(AggregateQuery.TryParse(document.RootElement, out var query, out var diagnostics), string.Join("; ", diagnostics));
        return query!;
    }

    public static AggregatePlan Plan(string json, EgressPlan? egress = null, AggregateTerms? terms = null)
    {
        var compiled = AggregatePlan.TryCompile(Query(json), egress ?? EgressOf(), Definition, terms ?? new AggregateTerms(null), out var plan, out var diagnostics);
        Assert.True(compiled, string.Join("; ", diagnostics));
        return plan!;
    }

    public static async Task<AggregateResult> RunAsync(AggregatePlan plan, IEnumerable<string> rows, ulong seed = 1)
    {
        using var reader = Reader(rows);
        return await Aggregator.RunAsync(plan, reader, new SeededRandomSource(seed), CancellationToken.None);
    }

    /// <summary>A reader over <paramref name="rows"/>, stored as the fixture's dataset stores them.</summary>
    public static DatasetRowReader Reader(IEnumerable<string> rows) => new(
        new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(rows.Select(r => r + "\n")))),
        [.. Definition.Fields.Select(f => new DatasetSchemaField(f.Name, f.Type))]);

    /// <summary>The values of the group with <paramref name="key"/> (dimension values joined by <c>|</c>), or null when it is not shown.</summary>
    public static IReadOnlyList<decimal>? Values(AggregateResult result, string key) =>
        result.Groups.FirstOrDefault(g => string.Join('|', g.Key) == key)?.Values;
}
