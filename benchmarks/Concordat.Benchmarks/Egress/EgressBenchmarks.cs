using BenchmarkDotNet.Attributes;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;

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
    private PatientEgressPlans _plans = null!;

    [Params("csv", "ndjson")]
    public string Format { get; set; } = "csv";

    [GlobalSetup]
    public void Setup()
    {
        _patients = new SyntheticPatientStore("egress", Rows);
        _plans = new PatientEgressPlans();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plans.Dispose();
        _patients.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Rows)]
    public Task<long> Untransformed() => WriteAsync(_plans.Untransformed);

    [Benchmark(OperationsPerInvoke = Rows)]
    public Task<long> ThreePseudonymised() => WriteAsync(_plans.Pseudonymised);

    private async Task<long> WriteAsync(EgressPlan plan)
    {
        await using var rows = _patients.Store.OpenRows(_patients.Manifest);
        var format = Format == "csv" ? RowFormat.Csv : RowFormat.Ndjson;
        var receipt = await EgressWriter.WriteAsync(plan, rows, Stream.Null, format, CancellationToken.None);
        return receipt.RowsSent == Rows ? receipt.BytesSent : throw new InvalidOperationException("not every row was sent");
    }
}
