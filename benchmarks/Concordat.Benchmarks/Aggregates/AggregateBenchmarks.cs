using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Concordat.Agreements;
using Concordat.Data.Aggregates;
using Concordat.Data.Egress;
using Concordat.Privacy;
using Concordat.Testing.Datasets;
using Concordat.Testing.Privacy;

namespace Concordat.Benchmarks.Aggregates;

/// <summary>
/// Rows per second through <see cref="Aggregator"/>: synthetic patient rows (10 M by default; set
/// CONCORDAT_AGGREGATE_ROWS for a smoke run), one dimension (the 12 diagnosis codes) with a count-distinct (baseline),
/// and the same with a clamped sum and mean. Each operation is one pass over every row, so rows per second is the row
/// count over Mean; Allocated includes the contribution-bounding state, which grows with the number of entities. The
/// columnar methods run the same queries over the columnar copy the gateway caches (built once, in the setup), and
/// <see cref="BuildColumns"/> builds that copy itself (what the first query of a dataset version and egress plan
/// pays before the copy is cached): one operation reads every stored row once, so rows per second is the row count
/// over Mean, and Allocated is the copy (codes and distinct values) plus the reading.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(1)]
[IterationCount(3)]
public class AggregateBenchmarks
{
    private static readonly int s_rows = int.TryParse(Environment.GetEnvironmentVariable("CONCORDAT_AGGREGATE_ROWS"), NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : 10_000_000;

    private SyntheticPatientStore _patients = null!;
    private EgressPlan _egress = null!;
    private AggregatePlan _count = null!;
    private AggregatePlan _sumAndMean = null!;
    private AggregateColumns _columns = null!;

    [GlobalSetup]
    public void Setup()
    {
        _patients = new SyntheticPatientStore("aggregate", s_rows);
        var definition = SyntheticPatients.Definition();
        var key = PseudonymKey.Derive(new byte[32], new PartyId("lab"), definition.Id);
        _egress = EgressPlan.TryCompile(definition, [], null, [], null, key, out var plan, out var problems)
            ? plan
            : throw new InvalidOperationException(string.Join("; ", problems));
        const string Domain = """["E11.9", "I10", "J45.909", "K21.0", "M54.5", "F32.1", "N18.3", "C50.911", "I25.10", "E66.9", "J44.1", "G43.909"]""";
        _count = Compile(definition, $$"""{ "dimensions": [{ "field": "diagnosis_code", "domain": {{Domain}} }], "measures": [{ "name": "patients", "kind": "count-distinct" }], "rho": "1/100" }""");
        _sumAndMean = Compile(definition, $$"""{ "dimensions": [{ "field": "diagnosis_code", "domain": {{Domain}} }], "measures": [{ "name": "bp", "kind": "sum", "field": "systolic_bp", "lower": 60, "upper": 250 }, { "name": "mean", "kind": "mean", "field": "systolic_bp", "lower": 60, "upper": 250 }], "rho": "1/100" }""");
    }

    [GlobalSetup(Targets = [nameof(OneDimensionCountDistinctColumnar), nameof(OneDimensionSumAndMeanColumnar)])]
    public void SetupColumns()
    {
        Setup();
        using var rows = _patients.Store.OpenRows(_patients.Manifest);
        _columns = AggregateColumns.BuildAsync(_egress, rows, s_rows, CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("the rows do not fit the columnar copy");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _egress.Dispose();
        _patients.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<AggregateResult> OneDimensionCountDistinct() => RunAsync(_count);

    [Benchmark]
    public Task<AggregateResult> OneDimensionSumAndMean() => RunAsync(_sumAndMean);

    [Benchmark]
    public AggregateResult OneDimensionCountDistinctColumnar() => Aggregator.Run(_count, _columns, new SeededRandomSource(7), CancellationToken.None);

    [Benchmark]
    public async Task<int> BuildColumns()
    {
        await using var rows = _patients.Store.OpenRows(_patients.Manifest);
        var columns = await AggregateColumns.BuildAsync(_egress, rows, s_rows, CancellationToken.None)
            ?? throw new InvalidOperationException("the rows do not fit the columnar copy");
        return columns.RowCount;
    }

    [Benchmark]
    public AggregateResult OneDimensionSumAndMeanColumnar() => Aggregator.Run(_sumAndMean, _columns, new SeededRandomSource(7), CancellationToken.None);

    private async Task<AggregateResult> RunAsync(AggregatePlan plan)
    {
        await using var rows = _patients.Store.OpenRows(_patients.Manifest);
        return await Aggregator.RunAsync(plan, rows, new SeededRandomSource(7), CancellationToken.None);
    }

    private AggregatePlan Compile(DatasetDefinition definition, string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!AggregateQuery.TryParse(document.RootElement, out var query, out var diagnostics)
            || !AggregatePlan.TryCompile(query, _egress, definition, new AggregateTerms(10), out var plan, out diagnostics))
        {
            throw new InvalidOperationException(string.Join("; ", diagnostics));
        }

        return plan;
    }
}
