using System.Globalization;
using BenchmarkDotNet.Attributes;
using Concordat.Data.Egress;
using Concordat.Data.Parquet;

namespace Concordat.Benchmarks.Egress;

/// <summary>
/// Rows per second written as Parquet by <see cref="ParquetEgress"/> (the Delta Sharing server's files): synthetic
/// patient rows (1 M by default; set CONCORDAT_PARQUET_ROWS for a smoke run) of 10 fields, read from the imported rows
/// file, written to <see cref="Stream.Null"/>; untransformed (baseline) against three pseudonymised fields, the issue's
/// goal being at least the CSV egress rate (<see cref="EgressBenchmarks"/>). Each operation is one pass over every row,
/// so rows per second is the row count over Mean; memory is flat in the number of rows when Allocated per row (Allocated
/// over the row count) does not grow with CONCORDAT_PARQUET_ROWS.
/// </summary>
[MemoryDiagnoser]
[InProcess]
[WarmupCount(2)]
[IterationCount(5)]
public class ParquetEgressBenchmarks
{
    private static readonly int s_rows = int.TryParse(Environment.GetEnvironmentVariable("CONCORDAT_PARQUET_ROWS"), NumberStyles.None, CultureInfo.InvariantCulture, out var rows) ? rows : 1_000_000;

    private SyntheticPatientStore _patients = null!;
    private PatientEgressPlans _plans = null!;

    [GlobalSetup]
    public void Setup()
    {
        _patients = new SyntheticPatientStore("parquet", s_rows);
        _plans = new PatientEgressPlans();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plans.Dispose();
        _patients.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<long> Untransformed() => WriteAsync(_plans.Untransformed);

    [Benchmark]
    public Task<long> ThreePseudonymised() => WriteAsync(_plans.Pseudonymised);

    private async Task<long> WriteAsync(EgressPlan plan)
    {
        await using var rows = _patients.Store.OpenRows(_patients.Manifest);
        var receipt = await ParquetEgress.WriteAsync(plan, rows, Stream.Null, CancellationToken.None);
        return receipt.RowsSent == s_rows ? receipt.BytesSent : throw new InvalidOperationException("not every row was written");
    }
}
