using System.Globalization;
using Concordat.Agreements;
using Concordat.Data.Aggregates;
using Concordat.Privacy;
using Concordat.Testing.Privacy;
using static Concordat.Data.Tests.Aggregates.AggregateFixture;

namespace Concordat.Data.Tests.Aggregates;

/// <summary>The columnar path checked against the row path, its reference, on generated rows.</summary>
public sealed class ColumnarAggregatorTests
{
    private const string TwoDimensions = "\"dimensions\": [{\"field\": \"region\", \"domain\": [\"north\", \"south\", \"west\", \"\", \"nowhere\"]}, {\"field\": \"age\", \"domain\": [\"20\", \"30\", \"40\", \"50\"]}]";

    private const string AllMeasures = "\"measures\": [{\"name\": \"people\", \"kind\": \"count-distinct\"}, {\"name\": \"visits\", \"kind\": \"count\"}, {\"name\": \"spent\", \"kind\": \"sum\", \"field\": \"amount\", \"lower\": -20, \"upper\": 300}, {\"name\": \"average\", \"kind\": \"mean\", \"field\": \"age\", \"lower\": 25, \"upper\": 45}]";

    public static TheoryData<string, int> Queries => new()
    {
        { $$"""{ {{TwoDimensions}}, "maxGroupsPerEntity": 3, "maxRowsPerGroup": 2, "rho": "1/10", {{AllMeasures}} }""", 3 },
        { $$"""{ {{TwoDimensions}}, "maxGroupsPerEntity": 1, "maxRowsPerGroup": 1, "rho": "1/10", {{AllMeasures}} }""", 2 },
        { $$"""{ "dimensions": [{"field": "region", "domain": ["north", "south"]}], "filters": [{"field": "amount", "op": "between", "values": [0, 400]}, {"field": "region", "op": "!=", "value": "west"}, {"field": "age", "op": "in", "values": [20, 30, 40]}], "mechanism": "discrete-laplace", "epsilon": "1", "maxGroupsPerEntity": 2, "maxRowsPerGroup": 5, {{AllMeasures}} }""", 4 },
        { """{ "rho": "1", "measures": [{"name": "people", "kind": "count-distinct"}] }""", 400 },
        { $$"""{ {{TwoDimensions}}, "rho": "1/10", "maxGroupsPerEntity": 2, "maxRowsPerGroup": 3, "measures": [{"name": "people", "kind": "count-distinct"}, {"name": "third", "kind": "quantile", "field": "amount", "lower": -20, "upper": 300, "quantile": "1/3"}, {"name": "top", "kind": "quantile", "field": "age", "lower": 20, "upper": 60, "quantile": 0.9}] }""", 2 },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Total_GeneratedRows_SameTotalsAsTheRowPath(string json, int minGroupSize)
    {
        var rows = Generate(3_000, seed: 11);
        var plan = Plan(json, EgressOf(requireConsent: true), new AggregateTerms(minGroupSize));

        var (expected, actual) = await BothAsync(plan, rows);

        Assert.Equal(expected.Distinct, actual.Distinct);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Sums, actual.Sums);
        Assert.Equal(Flatten(expected.Ranks), Flatten(actual.Ranks));
        Assert.Contains(expected.Distinct, d => d > 0);
    }

    private static string Flatten(Dictionary<long, long>?[][] ranks) =>
        string.Join(';', ranks.SelectMany(m => m.Select(g => g is null ? "-" : string.Join(',', g.OrderBy(p => p.Key).Select(p => $"{p.Key}:{p.Value}")))));

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Run_SameSeed_SameGroupsValuesAndSuppressionAsTheRowPath(string json, int minGroupSize)
    {
        var rows = Generate(3_000, seed: 12);
        var plan = Plan(json, EgressOf(requireConsent: true), new AggregateTerms(minGroupSize));
        var expected = await RunAsync(plan, rows, seed: 5);

        var columns = await BuildAsync(plan, rows);
        var actual = Aggregator.Run(plan, columns, new SeededRandomSource(5), CancellationToken.None);

        Assert.Equal(expected.ToCsv(), actual.ToCsv());
        Assert.Equal(expected.SuppressedGroups, actual.SuppressedGroups);
    }

    [Fact]
    public async Task Total_JoinedWithARecipientTable_SameTotalsAsTheRowPath()
    {
        var rows = Generate(2_000, seed: 13);
        using var key = PseudonymKey.Derive(Master, new PartyId("lab"), Definition.Id);
        using var pseudonymiser = new Pseudonymiser(key);
        var pseudonyms = Enumerable.Range(0, 300).Where(i => i % 3 == 0).Select(i => pseudonymiser.Pseudonymise($"p{i}")).ToHashSet(StringComparer.Ordinal);
        using var joined = new JoinedTable("mine", FieldType.String, pseudonyms, key);
        var terms = new AggregateTerms(null) { Scope = new AggregateScope([], [], [new FieldName("id")], null, null) };
        Assert.True(AggregatePlan.TryCompile(Query($$"""{ {{TwoDimensions}}, "rho": "1", {{AllMeasures}}, "join": {"table": "mine", "on": "id"} }"""), EgressOf(), Definition, terms, out var plan, out var problems, joined), string.Join("; ", problems));

        var (expected, actual) = await BothAsync(plan, rows);

        Assert.Equal(expected.Distinct, actual.Distinct);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Sums, actual.Sums);
        Assert.InRange(actual.Distinct.Sum(), 1, 299);
    }

    [Fact]
    public async Task Total_GroupedByARecipientTableColumn_SameTotalsAsTheRowPath()
    {
        var rows = Generate(2_000, seed: 15);
        using var key = PseudonymKey.Derive(Master, new PartyId("lab"), Definition.Id);
        using var pseudonymiser = new Pseudonymiser(key);
        var kept = Enumerable.Range(0, 300).Where(i => i % 2 == 0).ToList();
        var pseudonyms = kept.Select(i => pseudonymiser.Pseudonymise($"p{i}")).ToHashSet(StringComparer.Ordinal);
        var tiers = kept.Where(i => i % 5 != 0).ToDictionary(i => pseudonymiser.Pseudonymise($"p{i}"), i => $"t{i % 3}", StringComparer.Ordinal);
        using var joined = new JoinedTable("mine", FieldType.String, pseudonyms, key, new() { [new FieldName("tier")] = tiers });
        var terms = new AggregateTerms(null) { Scope = new AggregateScope([], [], [new FieldName("id")], null, null) { JoinDimensions = [new FieldName("tier")] } };
        var json = $$"""{ "dimensions": [{"field": "tier", "from": "join", "domain": ["t0", "t1", "t2", "t9"]}, {"field": "region", "domain": ["north", "south"]}], "rho": "1", "maxGroupsPerEntity": 2, {{AllMeasures}}, "join": {"table": "mine", "on": "id"} }""";
        Assert.True(AggregatePlan.TryCompile(Query(json), EgressOf(), Definition, terms, out var plan, out var problems, joined), string.Join("; ", problems));

        var (expected, actual) = await BothAsync(plan, rows);

        Assert.Equal(expected.Distinct, actual.Distinct);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Sums, actual.Sums);
        Assert.Equal([0L, 0L], actual.Distinct[6..8]);
        Assert.True(actual.Distinct[..6].All(d => d > 0));
    }

    [Fact]
    public async Task BuildAsync_MoreAdmittedRowsThanTheLimit_GivesNoCopy()
    {
        var egress = EgressOf();
        using var reader = Reader(Generate(100, seed: 14));

        var columns = await AggregateColumns.BuildAsync(egress, reader, 99, CancellationToken.None);

        Assert.Null(columns);
    }

    [Fact]
    public async Task BuildAsync_ConsentRule_HoldsOnlyTheAdmittedRows()
    {
        string[] rows = [Row("p1", "north", 30, 1), Row("p2", "north", 30, 1, consent: "training"), Row("p3", "south", 30, 1)];
        using var reader = Reader(rows);

        var columns = await AggregateColumns.BuildAsync(EgressOf(requireConsent: true), reader, 2, CancellationToken.None);

        Assert.Equal(2, columns!.RowCount);
    }

    [Fact]
    public async Task Run_CopyBuiltUnderOtherRowRules_Refuses()
    {
        var rows = Generate(50, seed: 15);
        var columns = await BuildAsync(Plan("""{ "rho": "1", "measures": [{"name": "people", "kind": "count-distinct"}] }"""), rows);
        var plan = Plan("""{ "rho": "1", "measures": [{"name": "people", "kind": "count-distinct"}] }""", EgressOf(requireConsent: true));

        Assert.Throws<InvalidOperationException>(() => Aggregator.Run(plan, columns, new SeededRandomSource(1), CancellationToken.None));
    }

    private static async Task<(AggregateTotals Rows, AggregateTotals Columns)> BothAsync(AggregatePlan plan, IReadOnlyList<string> rows)
    {
        using var reader = Reader(rows);
        var expected = await Aggregator.TotalAsync(plan, reader, CancellationToken.None);
        var columns = await BuildAsync(plan, rows);
        return (expected, ColumnarAggregator.Total(plan, columns, CancellationToken.None));
    }

    private static async Task<AggregateColumns> BuildAsync(AggregatePlan plan, IReadOnlyList<string> rows)
    {
        using var reader = Reader(rows);
        return (await AggregateColumns.BuildAsync(plan.Egress, reader, rows.Count, CancellationToken.None))!;
    }

    /// <summary>
    /// Rows of 300 entities in no order, with nulls, values outside the domains, empty strings, negative and large
    /// amounts, and rows without consent to research.
    /// </summary>
    private static string[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        string[] regions = ["north", "south", "west", "east", string.Empty];
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var id = random.Next(50) == 0 ? "null" : $"\"p{random.Next(300)}\"";
            var region = random.Next(20) == 0 ? "null" : $"\"{regions[random.Next(regions.Length)]}\"";
            var age = (random.Next(5) + 2) * 10;
            var amount = random.Next(15) == 0 ? "null" : (random.Next(800) - 100).ToString(CultureInfo.InvariantCulture);
            var consent = random.Next(8) == 0 ? "training" : "research;training";
            return $"[{id},\"name\",{region},{age},{amount},1.5,\"{consent}\"]";
        })];
    }
}
