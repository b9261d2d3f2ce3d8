using System.Text;
using Concordat.Data.Datasets;
using Concordat.Testing.Datasets;

namespace Concordat.Benchmarks;

/// <summary>
/// A temporary dataset store holding one imported version of synthetic patient rows (seed 42), for the benchmarks
/// that read stored rows (egress, aggregates); deleted on dispose.
/// </summary>
internal sealed class SyntheticPatientStore : IDisposable
{
    private readonly string _workspace;

    public SyntheticPatientStore(string name, int rows)
    {
        _workspace = Path.Combine(Path.GetTempPath(), $"concordat-{name}-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(_workspace);
        var csv = Path.Combine(_workspace, "patients.csv");
        using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 16))
        {
            new SyntheticPatients(42).WriteCsv(writer, rows);
        }

        Store = new DatasetStore(_workspace, TimeProvider.System);
        using (var source = File.OpenRead(csv))
        {
            var result = Store.ImportAsync(SyntheticPatients.Definition(), source, RowFormat.Csv, "patients.csv", CancellationToken.None).GetAwaiter().GetResult();
            Manifest = result.Manifest ?? throw new InvalidOperationException(string.Join("; ", result.Diagnostics));
        }

        File.Delete(csv);
    }

    public DatasetStore Store { get; }

    public DatasetManifest Manifest { get; }

    public void Dispose() => Directory.Delete(_workspace, recursive: true);
}
