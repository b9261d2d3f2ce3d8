using Concordat.Agreements;
using Concordat.Data.Aggregates;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;
using Concordat.Testing.Privacy;
using static Concordat.Data.Tests.Aggregates.AggregateFixture;

namespace Concordat.Data.Tests.Aggregates;

/// <summary>Group keys from the data by differentially private partition selection (thresholded discrete noise).</summary>
public sealed class AggregatorPartitionSelectionTests
{
    private const string ByRegionFromData = "\"dimensions\": [{\"field\": \"region\"}]";

    private static readonly AggregateTerms s_selecting = new(null)
    {
        Scope = new AggregateScope([], [], [], null, null) { CanSelectPartitions = true },
        BudgetDelta = 1e-6,
    };

    [Fact]
    public async Task RunAsync_PartitionSelection_ShowsLargeGroupsTheDataHasAndAlmostNeverOneBelowTheThreshold()
    {
        var plan = Plan($$"""{ {{ByRegionFromData}}, "rho": "1", "partitionDelta": "1/1000000", "measures": [{"name": "people", "kind": "count-distinct"}] }""", terms: s_selecting);
        string[] rows = [.. Entities("north", 100), .. Entities("south", 60), .. Entities("tiny", 2), Row("lone", "alone", 30, 1)];

        var shown = new Dictionary<string, int>(StringComparer.Ordinal);
        for (ulong seed = 0; seed < 40; seed++)
        {
            var result = await RunAsync(plan, rows, seed);
            Assert.Equal(0, result.SuppressedGroups);
            foreach (var group in result.Groups)
            {
                shown[group.Key[0]] = shown.GetValueOrDefault(group.Key[0]) + 1;
            }
        }

        // σ² = 1/2 and δ = 10^-6 give τ = 5: m = 4 is the least with e^(m²) ≥ 10^6. Two entities clear it with
        // probability P[Z ≥ 3] < 10^-4 per run.
        Assert.Equal(5, plan.PartitionThreshold);
        Assert.Equal((40, 40), (shown.GetValueOrDefault("north"), shown.GetValueOrDefault("south")));
        Assert.False(shown.ContainsKey("tiny"));
        Assert.False(shown.ContainsKey("alone"));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(10)]
    public async Task Run_LaplaceThreshold_KeepsAGroupWithTheExactProbabilityOfItsNoisyCountClearingTheThreshold(int entities)
    {
        // Scale 1 (ε = 1, one release, k = 1) and δ = 1/1000: τ − 1 = 7, the least m with e^m ≥ 1000.
        var plan = Plan($$"""{ {{ByRegionFromData}}, "mechanism": "discrete-laplace", "epsilon": "1", "partitionDelta": "1/1000", "measures": [{"name": "people", "kind": "count-distinct"}] }""", terms: s_selecting);
        var columns = await ColumnsAsync(plan, Entities("north", entities));
        var random = new SeededRandomSource(20261206UL + (ulong)entities);
        const int Runs = 4000;

        var kept = 0;
        for (var run = 0; run < Runs; run++)
        {
            kept += Aggregator.Run(plan, columns, random, CancellationToken.None).Groups.Count;
        }

        // P[keep] = P[c + Z ≥ τ] = P[Z ≥ τ − c]; for the discrete Laplace with p = e^(−1/scale):
        // P[Z ≥ m] = p^m/(1 + p) for m ≥ 1, and 1 − p^(1−m)/(1 + p) for m ≤ 0.
        Assert.Equal(8, plan.PartitionThreshold);
        var m = 8 - entities;
        var p = Math.Exp(-1);
        var expected = m >= 1 ? Math.Pow(p, m) / (1 + p) : 1 - (Math.Pow(p, 1 - m) / (1 + p));
        var sd = Math.Sqrt(Runs * expected * (1 - expected));
        // A binomial bound at 4.5 standard deviations (two-sided p ≈ 7·10^-6) with a fixed seed.
        Assert.InRange(kept, (Runs * expected) - (4.5 * sd), (Runs * expected) + (4.5 * sd));
    }

    [Fact]
    public async Task Run_DifferencingOnOnePersonsUniqueGroupKey_RevealsItNoMoreOftenThanDelta()
    {
        // δ = 1/100 so that the rate is measurable: the target's unique key shows in at most δ of the answers.
        var plan = Plan($$"""{ {{ByRegionFromData}}, "mechanism": "discrete-laplace", "epsilon": "1", "partitionDelta": "1/100", "measures": [{"name": "people", "kind": "count-distinct"}] }""", terms: s_selecting);
        string[] others = [.. Entities("north", 30)];
        var with = await ColumnsAsync(plan, [.. others, Row("target", "target-street-7", 30, 1)]);
        var without = await ColumnsAsync(plan, others);
        var random = new SeededRandomSource(15);
        const int Runs = 4000;

        var revealed = 0;
        var withNorth = new HashSet<decimal>();
        var withoutNorth = new HashSet<decimal>();
        for (var run = 0; run < Runs; run++)
        {
            var answer = Aggregator.Run(plan, with, random, CancellationToken.None);
            revealed += answer.Groups.Count(g => g.Key[0] == "target-street-7");
            withNorth.Add(Values(answer, "north")![0]);
            withoutNorth.Add(Values(Aggregator.Run(plan, without, random, CancellationToken.None), "north")![0]);
        }

        Assert.InRange(revealed, 0, (Runs / 100) + (4.5 * Math.Sqrt(Runs * 0.01 * 0.99)));
        Assert.True(withNorth.Overlaps(withoutNorth));
    }

    [Fact]
    public async Task RunAndRunAsync_PartitionSelection_GiveTheSameAnswerFromTheSameSeed()
    {
        var plan = Plan($$"""{ {{ByRegionFromData}}, "rho": "1/4", "partitionDelta": "1/1000000", "filters": [{"field": "age", "op": ">", "value": 20}], "measures": [{"name": "people", "kind": "count-distinct"}, {"name": "spent", "kind": "sum", "field": "amount", "lower": 0, "upper": 10}] }""", terms: s_selecting);
        string[] rows = [.. Entities("west", 40), .. Entities("east", 25), .. Entities("north", 3), Row("young", "south", 10, 1), .. Entities("mid", 12)];

        var rowPath = await RunAsync(plan, rows, 99);
        var columnar = Aggregator.Run(plan, await ColumnsAsync(plan, rows), new SeededRandomSource(99), CancellationToken.None);

        Assert.Equal(rowPath.ToCsv(), columnar.ToCsv());
        Assert.Contains(rowPath.Groups, g => g.Key[0] == "west");
    }

    [Fact]
    public void TryCompile_GrantWhoseBudgetHasDeltaZero_RefusesNamingTheBudgetsDelta()
    {
        var terms = s_selecting with { BudgetDelta = 0 };

        Assert.False(AggregatePlan.TryCompile(Query($$"""{ {{ByRegionFromData}}, "mechanism": "discrete-laplace", "epsilon": "1", "partitionDelta": "1/1000", "measures": [{"name": "n", "kind": "count-distinct"}] }"""), EgressOf(), Definition, terms, out _, out var diagnostics));

        var problem = Assert.Single(diagnostics).ToString();
        Assert.Contains("GW6513", problem, StringComparison.Ordinal);
        Assert.Contains("`privacyBudget.delta`", problem, StringComparison.Ordinal);
        Assert.Contains("`dimensions[0].domain`", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCompile_GrantThatDoesNotAllowPartitionSelection_RefusesNamingTheDomain()
    {
        Assert.False(AggregatePlan.TryCompile(Query($$"""{ {{ByRegionFromData}}, "rho": "1", "partitionDelta": "1/1000", "measures": [{"name": "n", "kind": "count-distinct"}] }"""), EgressOf(), Definition, new AggregateTerms(null), out _, out var diagnostics));

        var problem = Assert.Single(diagnostics).ToString();
        Assert.Contains("GW6511", problem, StringComparison.Ordinal);
        Assert.Contains("`aggregates.partitionSelection`", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "dimensions": [{"field": "region"}], "rho": "1", "measures": [{"name": "n", "kind": "count"}] }""", "`dimensions[0].domain`")]
    [InlineData("""{ "dimensions": [{"field": "region"}], "rho": "1", "partitionDelta": "1", "measures": [{"name": "n", "kind": "count"}] }""", "`partitionDelta`")]
    [InlineData("""{ "dimensions": [{"field": "region"}, {"field": "age", "domain": [30]}], "rho": "1", "partitionDelta": "1/1000", "measures": [{"name": "n", "kind": "count"}] }""", "`dimensions[1].domain`")]
    [InlineData("""{ "dimensions": [{"field": "region", "domain": ["north"]}], "rho": "1", "partitionDelta": "1/1000", "measures": [{"name": "n", "kind": "count"}] }""", "`partitionDelta`")]
    public void TryParse_BadPartitionSelection_NamesTheMember(string json, string member)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);

        Assert.False(AggregateQuery.TryParse(document.RootElement, out _, out var diagnostics));

        Assert.Contains(diagnostics, d => d.ToString().Contains(member, StringComparison.Ordinal) && d.ToString().Contains("GW6503", StringComparison.Ordinal));
    }

    [Fact]
    public void ToSpend_PartitionSelection_ChargesItsDeltaWhichTheLedgerReadBackFromTheLogReproduces()
    {
        var plan = Plan($$"""{ {{ByRegionFromData}}, "rho": "1/100", "partitionDelta": "1/10000000", "measures": [{"name": "people", "kind": "count-distinct"}, {"name": "visits", "kind": "count"}] }""", terms: s_selecting);
        var key = new BudgetKey(new PartyId("lab"), new AgreementId("a"), new ClauseId("g"));
        var policy = BudgetPolicy.From(new PrivacyBudget(1, 1e-6, TimeSpan.FromDays(30)), DateTimeOffset.UnixEpoch);
        var ledger = new PrivacyLedger([]);
        var spend = plan.ToSpend(key, DateTimeOffset.UnixEpoch);

        var charge = ledger.Charge(spend, policy, isDryRun: false);

        Assert.True(charge.IsCharged, charge.Refusal);
        Assert.Equal(new Rational(1, 10_000_000), spend.Delta);
        Assert.Equal(new Rational(1, 100), spend.Rho);
        // Spending a tenth of δ lowers the ρ the period allows.
        Assert.True(charge.After.Capacity <= policy.PeriodCapacity && charge.After.Capacity != policy.PeriodCapacity);
        Assert.True(PrivacySpendEntry.TryRead(PrivacySpendEntry.ToLogEntry(spend, charge.After), out var read));
        Assert.Equal(spend.Delta, read.Delta);
        var recomputed = new PrivacyLedger([read]);
        Assert.Equal(ledger.Totals(), recomputed.Totals());
        Assert.Equal(ledger.Status(key, policy, DateTimeOffset.UnixEpoch), recomputed.Status(key, policy, DateTimeOffset.UnixEpoch));
        Assert.Equal(charge.After, recomputed.Status(key, policy, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Charge_PartitionSelectionOnAPureOnlyBudgetOrBeyondTheDeltaLeft_IsRefusedAndSpendsNothing()
    {
        var key = new BudgetKey(new PartyId("lab"), new AgreementId("a"), new ClauseId("g"));
        var spend = Plan($$"""{ {{ByRegionFromData}}, "mechanism": "discrete-laplace", "epsilon": "1/100", "partitionDelta": "1/100000", "measures": [{"name": "n", "kind": "count-distinct"}] }""", terms: s_selecting)
            .ToSpend(key, DateTimeOffset.UnixEpoch);
        var pure = BudgetPolicy.From(new PrivacyBudget(1, 0, TimeSpan.FromDays(30)), DateTimeOffset.UnixEpoch);
        var small = BudgetPolicy.From(new PrivacyBudget(1, 1e-6, TimeSpan.FromDays(30)), DateTimeOffset.UnixEpoch);
        var ledger = new PrivacyLedger([]);

        var onPure = ledger.Charge(spend, pure, isDryRun: false);
        var beyond = ledger.Charge(spend, small, isDryRun: false);

        Assert.False(onPure.IsAllowed);
        Assert.Contains("δ is 0", onPure.Refusal, StringComparison.Ordinal);
        Assert.False(beyond.IsAllowed);
        Assert.Empty(ledger.Totals());
    }

    private static IEnumerable<string> Entities(string region, int count) =>
        Enumerable.Range(0, count).Select(i => Row($"{region}-{i}", region, 30, 5));

    private static async Task<AggregateColumns> ColumnsAsync(AggregatePlan plan, IEnumerable<string> rows)
    {
        string[] all = [.. rows];
        using var reader = Reader(all);
        return (await AggregateColumns.BuildAsync(plan.Egress, reader, all.Length, CancellationToken.None))!;
    }
}
