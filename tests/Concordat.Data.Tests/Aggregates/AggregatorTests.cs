using Concordat.Agreements;
using Concordat.Data.Aggregates;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;
using static Concordat.Data.Tests.Aggregates.AggregateFixture;

namespace Concordat.Data.Tests.Aggregates;

public sealed class AggregatorTests
{
    private const string ByRegion = "\"dimensions\": [{\"field\": \"region\", \"domain\": [\"north\", \"south\", \"west\"]}]";

    private static readonly string[] s_rows =
    [
        Row("p1", "north", 30, 10),
        Row("p1", "north", 30, 20),
        Row("p2", "north", 40, 500),
        Row("p3", "south", 50, 7),
        Row("p4", "east", 60, 9),
    ];

    [Fact]
    public async Task RunAsync_NegligibleNoise_CountsRowsDistinctEntitiesSumsAndMeansPerDeclaredGroup()
    {
        var plan = Plan($$"""{ {{ByRegion}}, "maxRowsPerGroup": 2, {{Exact}}, "measures": [{"name": "people", "kind": "count-distinct"}, {"name": "visits", "kind": "count"}, {"name": "spent", "kind": "sum", "field": "amount", "lower": 0, "upper": 100}, {"name": "average", "kind": "mean", "field": "amount", "lower": 0, "upper": 100}] }""");

        var result = await RunAsync(plan, s_rows);

        Assert.Equal([2m, 3m, 130m, 43.333333m], Values(result, "north"));
        Assert.Equal([1m, 1m, 7m, 7m], Values(result, "south"));
        Assert.Equal([0m, 0m, 0m, 0m], Values(result, "west"));
        Assert.Null(Values(result, "east"));
        Assert.Equal(0, result.SuppressedGroups);
    }

    [Fact]
    public async Task RunAsync_RowsBeyondMaxRowsPerGroup_AreLeftOut()
    {
        var plan = Plan($$"""{ {{ByRegion}}, {{Exact}}, "measures": [{"name": "visits", "kind": "count"}] }""");

        var result = await RunAsync(plan, s_rows);

        Assert.Equal([2m], Values(result, "north"));
    }

    [Fact]
    public async Task RunAsync_EntityInMoreGroupsThanAllowed_CountsOnlyItsFirstGroups()
    {
        var plan = Plan($$"""{ {{ByRegion}}, {{Exact}}, "maxGroupsPerEntity": 2, "measures": [{"name": "people", "kind": "count-distinct"}] }""");

        var result = await RunAsync(plan, [Row("p1", "west", 1, 1), Row("p1", "south", 1, 1), Row("p1", "north", 1, 1)]);

        Assert.Equal([[0m], [1m], [1m]], result.Groups.Select(g => g.Values.ToArray()));
    }

    [Fact]
    public async Task RunAsync_FiltersAndConsent_ApplyBeforeCounting()
    {
        var egress = EgressOf(requireConsent: true);
        var plan = Plan($$"""{ {{Exact}}, "filters": [{"field": "age", "op": "between", "values": [30, 50]}, {"field": "region", "op": "!=", "value": "south"}], "measures": [{"name": "people", "kind": "count-distinct"}] }""", egress);

        var result = await RunAsync(plan, [.. s_rows, Row("p9", "north", 35, 1, consent: "training")]);

        Assert.Equal([2m], Values(result, string.Empty));
    }

    [Fact]
    public async Task RunAsync_GroupBelowMinGroupSize_IsSuppressedAndCounted()
    {
        var plan = Plan($$"""{ {{ByRegion}}, {{Exact}}, "measures": [{"name": "people", "kind": "count-distinct"}] }""", terms: new AggregateTerms(2));

        var result = await RunAsync(plan, s_rows);

        Assert.Equal(["north"], result.Groups.Select(g => g.Key[0]));
        Assert.Equal(2, result.SuppressedGroups);
    }

    [Fact]
    public async Task RunAsync_GroupAtTheThreshold_IsSuppressedOnTheNoisyCountNotTheExactOne()
    {
        var plan = Plan("""{ "rho": "1/2", "measures": [{"name": "people", "kind": "count-distinct"}] }""", terms: new AggregateTerms(5));
        string[] rows = [.. Enumerable.Range(0, 5).Select(i => Row($"p{i}", "north", 30, 1))];

        var shown = 0;
        for (ulong seed = 0; seed < 200; seed++)
        {
            shown += (await RunAsync(plan, rows, seed)).Groups.Count;
        }

        // Exactly 5 entities: suppressing on the exact count would show the group every time.
        Assert.InRange(shown, 40, 199);
    }

    [Fact]
    public async Task RunAsync_DifferencingTwoQueriesOnePersonApart_RareGroupSuppressedAndTotalsOverlap()
    {
        var plan = Plan($$"""{ "dimensions": [{"field": "region", "domain": ["north", "rare"]}], "rho": "1/2", "measures": [{"name": "people", "kind": "count-distinct"}] }""", terms: new AggregateTerms(5));
        string[] others = [.. Enumerable.Range(0, 40).Select(i => Row($"p{i}", "north", 30, 1))];
        string[] withTarget = [.. others, Row("target", "rare", 30, 1)];

        var withSeen = new HashSet<decimal>();
        var withoutSeen = new HashSet<decimal>();
        for (ulong seed = 0; seed < 100; seed++)
        {
            var with = await RunAsync(plan, withTarget, seed);
            var without = await RunAsync(plan, others, seed + 1000);
            Assert.Null(Values(with, "rare"));
            Assert.Null(Values(without, "rare"));
            withSeen.Add(Values(with, "north")![0]);
            withoutSeen.Add(Values(without, "north")![0]);
        }

        // The target is in no shown group, and the shown group's noisy counts take the same values either way.
        Assert.True(withSeen.Overlaps(withoutSeen));
    }

    [Fact]
    public async Task RunAsync_SameSeed_GivesTheSameNoisyAnswer()
    {
        var plan = Plan($$"""{ {{ByRegion}}, "rho": "1/10", "measures": [{"name": "spent", "kind": "sum", "field": "amount", "lower": 0, "upper": 100}] }""");

        var first = await RunAsync(plan, s_rows, 42);
        var second = await RunAsync(plan, s_rows, 42);

        Assert.Equal(first.ToCsv(), second.ToCsv());
    }

    [Fact]
    public void Releases_Gaussian_CostExactlyTheQuerysRho()
    {
        var plan = Plan($$"""{ {{ByRegion}}, "maxGroupsPerEntity": 3, "maxRowsPerGroup": 2, "rho": "1/7", "measures": [{"name": "n", "kind": "count"}, {"name": "s", "kind": "sum", "field": "amount", "lower": -5, "upper": 100}, {"name": "m", "kind": "mean", "field": "age", "lower": 0, "upper": 120}] }""");

        var rho = plan.Releases.Aggregate(Rational.Zero, (sum, r) => sum + r.Rho);

        Assert.Equal(new Rational(1, 7), rho);
        Assert.Equal(4, plan.Releases.Count);
        Assert.All(plan.Releases, r => Assert.Equal(3, r.Contributions));
        Assert.Equal([Rational.FromInteger(1), Rational.FromInteger(2), Rational.FromInteger(200), Rational.FromInteger(240)], plan.Releases.Select(r => r.Sensitivity));
    }

    [Fact]
    public async Task RunAsync_QuantileWithNegligibleNoise_FindsEachGroupsQuantileOfItsClampedValues()
    {
        var plan = Plan($$"""{ {{ByRegion}}, "maxRowsPerGroup": 2, {{Exact}}, "measures": [{"name": "people", "kind": "count-distinct"}, {"name": "median", "kind": "quantile", "field": "amount", "lower": 0, "upper": 100, "quantile": "1/2"}, {"name": "most", "kind": "quantile", "field": "amount", "lower": 0, "upper": 100, "quantile": 1}] }""");

        var result = await RunAsync(plan, s_rows);

        Assert.Equal([2m, 20m, 100m], Values(result, "north"));
        Assert.Equal([1m, 7m, 7m], Values(result, "south"));
        Assert.Equal([0m, 0m, 0m], Values(result, "west"));
    }

    [Fact]
    public void Releases_Quantile_OneReleasePerSearchStepAndTheQueryCostsExactlyItsRho()
    {
        var plan = Plan($$"""{ {{ByRegion}}, "maxGroupsPerEntity": 3, "maxRowsPerGroup": 2, "rho": "1/7", "measures": [{"name": "n", "kind": "count-distinct"}, {"name": "q", "kind": "quantile", "field": "age", "lower": 0, "upper": 120, "quantile": "3/4"}] }""");

        var rho = plan.Releases.Aggregate(Rational.Zero, (sum, r) => sum + r.Rho);

        Assert.Equal(new Rational(1, 7), rho);
        Assert.Equal(1 + 7, plan.Releases.Count);
        Assert.All(plan.Releases, r => Assert.Equal(new Rational(1, 56), r.Rho));
        Assert.All(plan.Releases.Skip(1), r => Assert.Equal(Rational.FromInteger(2 * 3), r.Sensitivity));
    }

    [Fact]
    public void ToSpend_Quantile_TheLedgerReadBackFromItsLogEntryTotalsWhatWasCharged()
    {
        var plan = Plan($$"""{ {{ByRegion}}, "rho": "1/1000", "measures": [{"name": "q", "kind": "quantile", "field": "amount", "lower": -50, "upper": 1000, "quantile": "0.1"}] }""");
        var spend = plan.ToSpend(new BudgetKey(new PartyId("lab"), new AgreementId("a"), new ClauseId("g")), DateTimeOffset.UnixEpoch);
        var ledger = new PrivacyLedger([]);
        var charge = ledger.Charge(spend, BudgetPolicy.From(new PrivacyBudget(1, 1e-6, TimeSpan.FromDays(30)), DateTimeOffset.UnixEpoch), isDryRun: false);

        Assert.True(PrivacySpendEntry.TryRead(PrivacySpendEntry.ToLogEntry(spend, charge.After), out var read));

        Assert.True(charge.IsCharged);
        Assert.Equal(1 + 11, read.Releases.Count);
        Assert.Equal(ledger.Totals(), new PrivacyLedger([read]).Totals());
        Assert.Equal(new Rational(1, 1000), Assert.Single(ledger.Totals()).Rho);
    }

    [Fact]
    public void Releases_Laplace_CostExactlyTheQuerysEpsilon()
    {
        var plan = Plan("""{ "mechanism": "discrete-laplace", "epsilon": "0.5", "maxGroupsPerEntity": 2, "measures": [{"name": "n", "kind": "count-distinct"}, {"name": "s", "kind": "sum", "field": "amount", "lower": 0, "upper": 10}] }""");

        var spend = plan.ToSpend(new BudgetKey(new PartyId("lab"), new AgreementId("a"), new ClauseId("g")), DateTimeOffset.UnixEpoch);

        Assert.Equal(new Rational(1, 2), spend.Epsilon);
        Assert.All(plan.Releases, r => Assert.Equal(NoiseMechanism.DiscreteLaplace, r.Mechanism));
    }

    [Fact]
    public async Task ToCsvAndToJson_GiveEachShownGroupWithTheSuppressedCount()
    {
        var plan = Plan($$"""{ {{ByRegion}}, {{Exact}}, "measures": [{"name": "people", "kind": "count-distinct"}] }""", terms: new AggregateTerms(1));

        var result = await RunAsync(plan, s_rows);

        Assert.Equal("region,people\r\nnorth,2\r\nsouth,1\r\n", result.ToCsv());
        Assert.Equal("""{"groups":[{"key":{"region":"north"},"values":{"people":2}},{"key":{"region":"south"},"values":{"people":1}}],"suppressedGroups":1}""", result.ToJson().ToJsonString());
    }
}
