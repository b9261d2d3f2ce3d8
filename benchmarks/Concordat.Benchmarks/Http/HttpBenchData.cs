using System.Text;
using Concordat.Testing.Datasets;

namespace Concordat.Benchmarks.Http;

/// <summary>
/// The rows the HTTP benchmarks import: <see cref="SyntheticPatients"/> (seed 42) as CSV, with a consent every row
/// of benchmarks/http/bench-agreement.yaml passes, so every imported row leaves. Run with
/// <c>-- http-patients-csv ROWS FILE</c>.
/// </summary>
public static class HttpBenchData
{
    /// <summary>A consent that covers the benchmark grants' purpose (<c>training</c>) and its broader one.</summary>
    public const string Consent = "research;training";

    public static void WriteCsv(TextWriter output, int rows, string path)
    {
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            new SyntheticPatients(42).WriteCsv(writer, rows, Consent);
        }

        output.WriteLine($"wrote {rows:N0} rows ({new FileInfo(path).Length:N0} bytes) to {path}");
    }
}
