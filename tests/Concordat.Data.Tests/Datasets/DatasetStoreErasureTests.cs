using System.Text;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Testing;
using Concordat.Testing.Datasets;

namespace Concordat.Data.Tests.Datasets;

public sealed class DatasetStoreErasureTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 23, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_erasedAt = s_now.AddDays(3);
    private static readonly FieldName s_key = new("patient_id");
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task EraseAsync_SubjectInVersion_RewritesRowsAndLinksManifests()
    {
        var sut = CreateSut();
        var old = await ImportAsync(sut, 20);
        var subject = FirstSubject(old, sut);

        var erasure = await sut.EraseAsync(old, s_key, new HashSet<string> { subject }, s_erasedAt, CancellationToken.None);

        Assert.NotNull(erasure);
        Assert.Equal(1, erasure.RowsRemoved);
        var stored = sut.GetVersion(old.DatasetId, old.Version)!;
        Assert.Equal(erasure.Current.ComputeDigest(), stored.ComputeDigest());
        Assert.Equal(old.ComputeDigest(), stored.PreviousManifest);
        Assert.Equal(s_erasedAt, stored.ErasedAt);
        Assert.Equal(19, stored.RowCount);
        var rows = await File.ReadAllBytesAsync(Path.Combine(_workspace.DatasetsDirectory, "patients", "1", "rows.ndjson"));
        Assert.Equal(Sha256Digest.Compute(rows), stored.RowsSha256);
        Assert.DoesNotContain(subject, Encoding.UTF8.GetString(rows), StringComparison.Ordinal);
        Assert.Equal(0, await sut.CountSubjectRowsAsync(stored, s_key, new HashSet<string> { subject }, CancellationToken.None));
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_workspace.DatasetsDirectory, "patients"), ".erase*"));
    }

    [Fact]
    public async Task EraseAsync_SubjectAbsent_ChangesNothing()
    {
        var sut = CreateSut();
        var old = await ImportAsync(sut, 5);

        var erasure = await sut.EraseAsync(old, s_key, new HashSet<string> { "NHS-0000000000" }, s_erasedAt, CancellationToken.None);

        Assert.Null(erasure);
        Assert.Equal(old.ComputeDigest(), sut.GetVersion(old.DatasetId, old.Version)!.ComputeDigest());
    }

    [Fact]
    public async Task ToCanonicalJson_ImportedVersion_HasNoErasureMembers()
    {
        var manifest = await ImportAsync(CreateSut(), 2);

        var json = Encoding.UTF8.GetString(manifest.ToCanonicalJson());

        Assert.DoesNotContain("previousManifest", json, StringComparison.Ordinal);
        Assert.DoesNotContain("erasedAt", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveAbandonedImports_CrashBetweenRenames_PutsOldVersionBack()
    {
        var sut = CreateSut();
        var old = await ImportAsync(sut, 3);
        var dataset = Path.Combine(_workspace.DatasetsDirectory, "patients");
        Directory.Move(Path.Combine(dataset, "1"), Path.Combine(dataset, ".erased-1"));
        Directory.CreateDirectory(Path.Combine(dataset, ".erase-0123"));

        sut.RemoveAbandonedImports();

        Assert.Equal(old.ComputeDigest(), sut.GetVersion(old.DatasetId, old.Version)!.ComputeDigest());
        Assert.Equal(["1"], Directory.EnumerateDirectories(dataset).Select(Path.GetFileName));
    }

    [Fact]
    public async Task RemoveAbandonedImports_CrashAfterSwap_KeepsNewVersion()
    {
        var sut = CreateSut();
        var old = await ImportAsync(sut, 3);
        var erasure = await sut.EraseAsync(old, s_key, new HashSet<string> { FirstSubject(old, sut) }, s_erasedAt, CancellationToken.None);
        var dataset = Path.Combine(_workspace.DatasetsDirectory, "patients");
        Directory.CreateDirectory(Path.Combine(dataset, ".erased-1"));

        sut.RemoveAbandonedImports();

        Assert.Equal(erasure!.Current.ComputeDigest(), sut.GetVersion(old.DatasetId, old.Version)!.ComputeDigest());
        Assert.Equal(["1"], Directory.EnumerateDirectories(dataset).Select(Path.GetFileName));
    }

    private static string FirstSubject(DatasetManifest manifest, DatasetStore store)
    {
        using var stream = store.OpenStoredRows(manifest);
        using var reader = new StreamReader(stream);
        var line = reader.ReadLine()!;
        return line.Split('"')[1];
    }

    private static async Task<DatasetManifest> ImportAsync(DatasetStore store, int rows)
    {
        var result = await store.ImportAsync(SyntheticPatients.Definition(), new MemoryStream(new SyntheticPatients(7).ToCsvBytes(rows)), RowFormat.Csv, "p.csv", CancellationToken.None);
        return result.Manifest!;
    }

    private DatasetStore CreateSut() => new(_workspace.Root, new FakeTimeProvider(s_now));
}
