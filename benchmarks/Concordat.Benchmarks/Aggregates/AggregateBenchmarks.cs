using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Concordat.Agreements;
using Concordat.Data.Aggregates;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Privacy;
using Concordat.Testing.Datasets;
using Concordat.Testing.Privacy;

namespace Concordat.Benchmarks.Aggregates;

/// <summary>
/// Rows per second through <see cref="Aggregator"/>: synthetic patient rows (10 M by default; set
/// CONCORDAT_AGGREGATE_ROWS for a smoke run), one dimension (the 12 diagnosis codes) with a count-distinct (baseline),
/// and the same with a clamped sum and mean. Each operation is one pass over every row, so rows per second is the row
/// count over Mean; Allocated includes the contribution-bounding state, which grows with the number of entities.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(1)]
[IterationCount(3)]
public class AggregateBenchmarks
{
    private static readonly int s_rows = int.TryParse(Environment.GetEnvironmentVariable("CONCORDAT_AGGREGATE_ROWS"), NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : 10_000_000;

    private string _workspace = "";
    private DatasetStore _store = null!;
    private DatasetManifest _manifest = null!;
    private EgressPlan _egress = null!;
    private AggregatePlan _count = null!;
    private AggregatePlan _sumAndMean = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workspace = Path.Combine(Path.GetTempPath(), "concordat-aggregate-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(_workspace);
        var csv = Path.Combine(_workspace, "patients.csv");
        using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 16))
        {
            new SyntheticPatients(42).WriteCsv(writer, s_rows);
        }

        _store = new DatasetStore(_workspace, TimeProvider.System);
        var definition = SyntheticPatients.Definition();
        using (var source = File.OpenRead(csv))
        {
            var result = _store.ImportAsync(definition, source, RowFormat.Csv, "patients.csv", CancellationToken.None).GetAwaiter().GetResult();
            _manifest = result.Manifest ?? throw new InvalidOperationException(string.Join("; ", result.Diagnostics));
        }

        File.Delete(csv);
        var key = PseudonymKey.Derive(new byte[32], new PartyId("lab"), definition.Id);
        _egress = EgressPlan.TryCompile(definition, [], null, [], null, key, out var plan, out var problems)
            ? plan
            : throw new InvalidOperationException(string.Join("; ", problems));
        const string Domain = """["E11.9", "I10", "J45.909", "K21.0", "M54.5", "F32.1", "N18.3", "C50.911", "I25.10", "E66.9", "J44.1", "G43.909"]""";
        _count = Compile(definition, $$"""{ "dimensions": [{ "field": "diagnosis_code", "domain": {{Domain}} }], "measures": [{ "name": "patients", "kind": "count-distinct" }], "rho": "1/100" }""");
        _sumAndMean = Compile(definition, $$"""{ "dimensions": [{ "field": "diagnosis_code", "domain": {{Domain}} }], "measures": [{ "name": "bp", "kind": "sum", "field": "systolic_bp", "lower": 60, "upper": 250 }, { "name": "mean", "kind": "mean", "field": "systolic_bp", "lower": 60, "upper": 250 }], "rho": "1/100" }""");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _egress.Dispose();
        Directory.Delete(_workspace, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public Task<AggregateResult> OneDimensionCountDistinct() => RunAsync(_count);

    [Benchmark]
    public Task<AggregateResult> OneDimensionSumAndMean() => RunAsync(_sumAndMean);

    private async Task<AggregateResult> RunAsync(AggregatePlan plan)
    {
        await using var rows = _store.OpenRows(_manifest);
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
