using System.Text.Json;
using Concordat.Agreements;
using Concordat.Data.Aggregates;
using static Concordat.Data.Tests.Aggregates.AggregateFixture;

namespace Concordat.Data.Tests.Aggregates;

public sealed class AggregateQueryTests
{
    [Theory]
    [InlineData("[]", "GW6500", "JSON object")]
    [InlineData("""{"measures": [{"name": "n", "kind": "count"}], "rho": 1, "limit": 3}""", "GW6500", "`limit`")]
    [InlineData("""{"rho": 1}""", "GW6500", "`measures`")]
    [InlineData("""{"measures": [], "rho": 1}""", "GW6504", "`measures`")]
    [InlineData("""{"measures": [{"name": "n", "kind": "median"}], "rho": 1}""", "GW6504", "`measures[0].kind`")]
    [InlineData("""{"measures": [{"name": "s", "kind": "sum", "field": "amount", "lower": 5}], "rho": 1}""", "GW6504", "`measures[0].upper`")]
    [InlineData("""{"measures": [{"name": "s", "kind": "sum", "field": "amount", "lower": 5, "upper": 1}], "rho": 1}""", "GW6504", "`measures[0]`")]
    [InlineData("""{"measures": [{"name": "s", "kind": "sum", "field": "amount", "lower": 0, "upper": 10000000000000}], "rho": 1}""", "GW6504", "`measures[0].upper`")]
    [InlineData("""{"measures": [{"name": "n", "kind": "count", "field": "amount"}], "rho": 1}""", "GW6504", "`measures[0]`")]
    [InlineData("""{"measures": [{"name": "q", "kind": "quantile", "field": "amount", "lower": 0, "upper": 10}], "rho": 1}""", "GW6504", "`measures[0].quantile`")]
    [InlineData("""{"measures": [{"name": "q", "kind": "quantile", "field": "amount", "lower": 0, "upper": 10, "quantile": 1.5}], "rho": 1}""", "GW6504", "`measures[0].quantile`")]
    [InlineData("""{"measures": [{"name": "q", "kind": "quantile", "field": "amount", "lower": 0, "upper": 10, "quantile": "1/1001"}], "rho": 1}""", "GW6504", "`measures[0].quantile`")]
    [InlineData("""{"measures": [{"name": "s", "kind": "sum", "field": "amount", "lower": 0, "upper": 10, "quantile": 0.5}], "rho": 1}""", "GW6504", "`measures[0].quantile`")]
    [InlineData("""{"measures": [{"name": "n", "kind": "count"}], "rho": 1, "dimensions": [{"field": "segment", "from": "join", "domain": ["a"]}]}""", "GW6512", "`dimensions[0].from`")]
    [InlineData("""{"measures": [{"name": "n", "kind": "count"}], "rho": 1, "dimensions": [{"field": "segment", "from": "elsewhere", "domain": ["a"]}]}""", "GW6500", "`dimensions[0].from`")]
    [InlineData("""{"measures": [{"name": "n", "kind": "count"}, {"name": "n", "kind": "count-distinct"}], "rho": 1}""", "GW6510", "`n`")]
    [InlineData("""{"dimensions": [{"field": "region"}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6503", "`dimensions[0].domain`")]
    [InlineData("""{"dimensions": [{"field": "region", "domain": ["a", "a"]}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6503", "`dimensions[0].domain`")]
    [InlineData("""{"dimensions": [{"field": "region", "domain": ["a"]}, {"field": "region", "domain": ["b"]}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6510", "`region`")]
    [InlineData("""{"filters": [{"field": "age", "op": "like", "value": 1}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6505", "`filters[0].op`")]
    [InlineData("""{"filters": [{"field": "age", "op": "between", "values": [1]}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6505", "`filters[0].values`")]
    [InlineData("""{"filters": [{"field": "age", "op": "=", "values": [1]}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6505", "`filters[0]`")]
    [InlineData("""{"maxGroupsPerEntity": 0, "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6506", "`maxGroupsPerEntity`")]
    [InlineData("""{"mechanism": "laplace", "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6507", "`mechanism`")]
    [InlineData("""{"measures": [{"name": "n", "kind": "count"}], "rho": 0}""", "GW6507", "`rho`")]
    [InlineData("""{"measures": [{"name": "n", "kind": "count"}], "rho": "-1"}""", "GW6507", "`rho`")]
    [InlineData("""{"measures": [{"name": "n", "kind": "count"}], "epsilon": 1}""", "GW6507", "`epsilon`")]
    public void TryParse_BadQuery_ReportsItsCodeNamingTheMember(string json, string code, string member)
    {
        using var document = JsonDocument.Parse(json);

        var parsed = AggregateQuery.TryParse(document.RootElement, out var query, out var diagnostics);

        Assert.False(parsed);
        Assert.Null(query);
        Assert.Contains(diagnostics, d => d.Code == code && d.Message.Contains(member, StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_SameQueryOtherLayout_HasTheSameDigest()
    {
        var first = Query("""{"rho": "1/100", "measures": [{"name": "n", "kind": "count"}]}""");
        var second = Query("""{ "measures": [ { "kind": "count", "name": "n" } ], "rho": "1/100" }""");

        Assert.Equal(first.Digest, second.Digest);
    }

    [Theory]
    [InlineData("""{"dimensions": [{"field": "id", "domain": ["x"]}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6502", "`dimensions[0].field`")]
    [InlineData("""{"dimensions": [{"field": "name", "domain": ["x"]}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6501", "`dimensions[0].field`")]
    [InlineData("""{"dimensions": [{"field": "nope", "domain": ["x"]}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6501", "`dimensions[0].field`")]
    [InlineData("""{"measures": [{"name": "s", "kind": "sum", "field": "bmi", "lower": 0, "upper": 50}], "rho": 1}""", "GW6504", "`measures[0].field`")]
    [InlineData("""{"filters": [{"field": "id", "op": "=", "value": "p1"}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6505", "`filters[0].field`")]
    [InlineData("""{"filters": [{"field": "age", "op": "=", "value": "old"}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6505", "`filters[0].values`")]
    [InlineData("""{"maxGroupsPerEntity": 17, "measures": [{"name": "n", "kind": "count"}], "rho": 1}""", "GW6506", "`maxGroupsPerEntity`")]
    public void TryCompile_QueryTheGrantDoesNotAllow_ReportsItsCodeNamingTheMember(string json, string code, string member)
    {
        var compiled = AggregatePlan.TryCompile(Query(json), EgressOf(), Definition, new AggregateTerms(null), out var plan, out var diagnostics);

        Assert.False(compiled);
        Assert.Null(plan);
        Assert.Contains(diagnostics, d => d.Code == code && d.Message.Contains(member, StringComparison.Ordinal));
    }

    [Fact]
    public void TryCompile_DatasetWithoutDirectIdentifier_ReportsNoEntityKey()
    {
        var definition = Definition with { Fields = [.. Definition.Fields.Select(f => f with { Classification = FieldClassification.Plain })] };

        var compiled = AggregatePlan.TryCompile(Query("""{"measures": [{"name": "n", "kind": "count"}], "rho": 1}"""), EgressOf(), definition, new AggregateTerms(null), out _, out var diagnostics);

        Assert.False(compiled);
        Assert.Equal("GW6508", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void TryCompile_TooManyGroups_ReportsThem()
    {
        var domain = string.Join(',', Enumerable.Range(0, 200).Select(i => $"\"{i}\""));
        var json = $$"""{"dimensions": [{"field": "region", "domain": [{{domain}}]}, {"field": "age", "domain": [{{domain}}]}], "measures": [{"name": "n", "kind": "count"}], "rho": 1}""";

        var compiled = AggregatePlan.TryCompile(Query(json), EgressOf(), Definition, new AggregateTerms(null), out _, out var diagnostics);

        Assert.False(compiled);
        Assert.Equal("GW6509", Assert.Single(diagnostics).Code);
    }
}
