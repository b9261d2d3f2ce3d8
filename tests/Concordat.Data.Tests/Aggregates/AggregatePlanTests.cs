using Concordat.Agreements;
using Concordat.Data.Aggregates;
using static Concordat.Data.Tests.Aggregates.AggregateFixture;

namespace Concordat.Data.Tests.Aggregates;

/// <summary>The grant's aggregate terms (its <c>aggregates</c> scope and caps) and the dataset's entity key, as a plan applies them.</summary>
public sealed class AggregatePlanTests
{
    private const string ByRegion = "\"dimensions\": [{\"field\": \"region\", \"domain\": [\"north\", \"south\"]}]";

    private static Grant GrantWith(AggregateScope? scope) =>
        new(new ClauseId("stats"), new PartyId("lab"), [Definition.Id], [new PurposeId("research")], [DataAction.AggregateQuery], [], null, [], [], null, null, null, 5, null)
        {
            Aggregates = scope,
        };

    private static IReadOnlyList<string> Problems(string json, AggregateTerms terms, DatasetDefinition? dataset = null)
    {
        Assert.False(AggregatePlan.TryCompile(Query(json), EgressOf(), dataset ?? Definition, terms, out _, out var diagnostics));
        return [.. diagnostics.Select(d => d.ToString())];
    }

    [Fact]
    public void TryCompile_DimensionTheGrantDoesNotList_NamesTheMemberWithGW6511()
    {
        var terms = AggregateTerms.For(GrantWith(new AggregateScope([new FieldName("age")], [], [], null, null)), null);

        var problems = Problems($$"""{ {{ByRegion}}, {{Exact}}, "measures": [{"name": "n", "kind": "count"}] }""", terms);

        var problem = Assert.Single(problems);
        Assert.Contains("GW6511", problem, StringComparison.Ordinal);
        Assert.Contains("`dimensions[0].field`", problem, StringComparison.Ordinal);
        Assert.Contains("`aggregates.dimensions`", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCompile_MeasureTheGrantDoesNotList_NamesTheMemberWithGW6511()
    {
        var terms = AggregateTerms.For(GrantWith(new AggregateScope([], [new FieldName("age")], [], null, null)), null);

        var problems = Problems($$"""{ {{Exact}}, "measures": [{"name": "n", "kind": "count"}, {"name": "s", "kind": "sum", "field": "amount", "lower": 0, "upper": 10}] }""", terms);

        Assert.Contains("`measures[1].field`", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void TryCompile_ListedDimensionAndMeasure_Compile()
    {
        var terms = AggregateTerms.For(GrantWith(new AggregateScope([new FieldName("region")], [new FieldName("amount")], [], null, null)), null);

        var compiled = AggregatePlan.TryCompile(Query($$"""{ {{ByRegion}}, {{Exact}}, "measures": [{"name": "s", "kind": "sum", "field": "amount", "lower": 0, "upper": 10}] }"""), EgressOf(), Definition, terms, out _, out var problems);

        Assert.True(compiled, string.Join("; ", problems));
    }

    [Fact]
    public void TryCompile_QueryAboveTheGrantsCap_RefusedWithTheGrantsCap()
    {
        var terms = AggregateTerms.For(GrantWith(new AggregateScope([], [], [], MaxGroupsPerEntity: 2, MaxRowsPerGroup: 40)), null);

        var problems = Problems($$"""{ {{ByRegion}}, {{Exact}}, "maxGroupsPerEntity": 3, "measures": [{"name": "n", "kind": "count"}] }""", terms);

        Assert.Contains("above the cap of 2", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Equal(AggregateTerms.DefaultMaxRowsPerGroup, terms.MaxRowsPerGroup);
    }

    [Fact]
    public async Task RunAsync_DatasetNamesAnEntityKey_CountsDistinctValuesOfThatField()
    {
        var byRegion = Definition with { EntityKey = new FieldName("region") };
        Assert.True(AggregatePlan.TryCompile(Query($$"""{ {{Exact}}, "measures": [{"name": "regions", "kind": "count-distinct"}] }"""), EgressOf(), byRegion, new AggregateTerms(null), out var plan, out _));

        var result = await RunAsync(plan!, [Row("p1", "north", 1, 1), Row("p2", "north", 1, 1), Row("p3", "south", 1, 1)]);

        Assert.Equal([2m], Values(result, string.Empty));
    }
}
