using System.Diagnostics;
using System.Globalization;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Data.Parquet;

namespace Concordat.Benchmarks.Egress;

/// <summary>
/// <c>egress-rate FORMAT PLAN ROWS PASSES</c>: one writer (<c>parquet</c>, <c>csv</c> or <c>ndjson</c>) over ROWS
/// synthetic patient rows under one plan (<c>untransformed</c> or <c>pseudonymised</c>, the three fields of
/// <see cref="PatientEgressPlans"/>), written to <see cref="Stream.Null"/> PASSES times. Each pass prints its wall time,
/// the process's CPU time (every thread: a loaded machine slows the wall clock, not the CPU spent), bytes allocated and
/// the peak working set, so two builds can be compared on a busy machine by CPU seconds per million rows and memory
/// checked flat by running 100,000 and 1 M rows. The same calls as <see cref="ParquetEgressBenchmarks"/> and
/// <see cref="EgressBenchmarks"/>; figures in docs/benchmarks.md, "Delta Sharing and the exit export".
/// </summary>
public static class EgressRate
{
    public static async Task<int> RunAsync(TextWriter output, string format, string planName, int rows, int passes)
    {
        using var patients = new SyntheticPatientStore("egress-rate", rows);
        using var plans = new PatientEgressPlans();
        var plan = planName switch
        {
            "untransformed" => plans.Untransformed,
            "pseudonymised" => plans.Pseudonymised,
            _ => null,
        };
        if (plan is null || format is not ("parquet" or "csv" or "ndjson"))
        {
            output.WriteLine("usage: egress-rate parquet|csv|ndjson untransformed|pseudonymised ROWS PASSES");
            return 1;
        }

        using var process = Process.GetCurrentProcess();
        for (var pass = 1; pass <= passes; pass++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            await using (var reader = patients.Store.OpenRows(patients.Manifest))
            {
                var receipt = format == "parquet"
                    ? await ParquetEgress.WriteAsync(plan, reader, Stream.Null, CancellationToken.None)
                    : await EgressWriter.WriteAsync(plan, reader, Stream.Null, format == "csv" ? RowFormat.Csv : RowFormat.Ndjson, CancellationToken.None);
                watch.Stop();
                process.Refresh();
                var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                var wall = watch.Elapsed.TotalSeconds;
                if (receipt.RowsSent != rows)
                {
                    output.WriteLine($"only {receipt.RowsSent} of {rows} rows were written");
                    return 1;
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{format} {planName} pass {pass}: {rows:N0} rows, {receipt.BytesSent / 1e6:N1} MB ({receipt.Sha256.ToString()[..19]}); wall {wall:N3} s ({rows / wall:N0} rows/s); CPU {cpu:N3} s ({cpu * 1e6 / rows:N3} CPU s per M rows, {rows / cpu:N0} rows per CPU s); allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)rows:N0} B per row; peak working set {process.PeakWorkingSet64 / 1e6:N0} MB"));
            }
        }

        return 0;
    }
}
