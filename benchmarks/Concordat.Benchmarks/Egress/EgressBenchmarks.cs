using BenchmarkDotNet.Attributes;
using Concordat.Agreements;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Privacy;
using Concordat.Testing.Datasets;

namespace Concordat.Benchmarks.Egress;

/// <summary>
/// Rows per second through <see cref="EgressWriter"/>: 1 M synthetic patient rows of 10 fields, read from the imported
/// rows file, written to <see cref="Stream.Null"/>; untransformed (baseline) against three pseudonymised fields.
/// Each operation is one row (OperationsPerInvoke), so Mean is the time per row and Allocated the bytes per row.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(2)]
[IterationCount(5)]
public class EgressBenchmarks
{
    private const int Rows = 1_000_000;

    private SyntheticPatientStore _patients = null!;
    private EgressPlan _untransformed = null!;
    private EgressPlan _pseudonymised = null!;
    private PseudonymKey _key = null!;

    [Params("csv", "ndjson")]
    public string Format { get; set; } = "csv";

    [GlobalSetup]
    public void Setup()
    {
        _patients = new SyntheticPatientStore("egress", Rows);
        var definition = SyntheticPatients.Definition();
        _key = PseudonymKey.Derive(new byte[32], new PartyId("lab"), definition.Id);
        _untransformed = Compile(definition, []);
        _pseudonymised = Compile(definition,
        [
            new FieldRule(new FieldName("patient_id"), FieldRuleKind.Pseudonymise, null),
            new FieldRule(new FieldName("name"), FieldRuleKind.Pseudonymise, null),
            new FieldRule(new FieldName("postcode"), FieldRuleKind.Pseudonymise, null),
        ]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _key.Dispose();
        _patients.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public Task<long> Untransformed() => WriteAsync(_untransformed);

    [Benchmark(OperationsPerInvoke = Rows)]
    public Task<long> ThreePseudonymised() => WriteAsync(_pseudonymised);

    private async Task<long> WriteAsync(EgressPlan plan)
    {
        await using var rows = _patients.Store.OpenRows(_patients.Manifest);
        var format = Format == "csv" ? RowFormat.Csv : RowFormat.Ndjson;
        var receipt = await EgressWriter.WriteAsync(plan, rows, Stream.Null, format, CancellationToken.None);
        return receipt.RowsSent == Rows ? receipt.BytesSent : throw new InvalidOperationException("not every row was sent");
    }

    private EgressPlan Compile(DatasetDefinition definition, FieldRule[] rules) =>
        EgressPlan.TryCompile(definition, rules, null, [], null, _key, out var plan, out var diagnostics)
            ? plan
            : throw new InvalidOperationException(string.Join("; ", diagnostics));
}
