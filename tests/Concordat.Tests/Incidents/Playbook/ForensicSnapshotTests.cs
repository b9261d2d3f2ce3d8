using System.Text.Json;
using Concordat.Incidents.Playbook;
using Concordat.Log;
using Concordat.Testing.Log;

namespace Concordat.Tests.Incidents.Playbook;

public sealed class ForensicSnapshotTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("concordat-snapshot-").FullName;

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(_directory))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TakeAsync_SignedLog_ExportVerifiesOfflineAndManifestNamesTheRelevantEntries()
    {
        await using var storage = new MemoryLogStorage();
        await AppendSignedAsync(storage);

        var (manifest, error) = await ForensicSnapshot.TakeAsync(storage, IncidentTests.Open(), _directory, default);

        Assert.Null(error);
        Assert.Equal([1L, 3L], manifest!.Entries);
        Assert.Equal(4, manifest.TreeSize);
        await using var export = File.OpenRead(Path.Combine(_directory, manifest.Export));
        var verified = await LogExportVerifier.VerifyAsync(export, LogTestData.LogKey.VerifierKey, default);
        Assert.True(verified.IsValid, verified.Problem?.Message);
        Assert.Equal(manifest.RootHash, verified.RootHash!.Value.ToBase64());
        var written = JsonSerializer.Deserialize<ForensicSnapshotManifest>(File.ReadAllBytes(Path.Combine(_directory, "inc_1.snapshot.json")), ForensicSnapshotManifest.SerializerOptions);
        Assert.Equal(manifest.ExportSha256, written!.ExportSha256);
    }

    [Fact]
    public async Task TakeAsync_Twice_TheFirstStandsReadOnly()
    {
        await using var storage = new MemoryLogStorage();
        await AppendSignedAsync(storage);
        await ForensicSnapshot.TakeAsync(storage, IncidentTests.Open(), _directory, default);

        var (manifest, error) = await ForensicSnapshot.TakeAsync(storage, IncidentTests.Open(), _directory, default);

        Assert.Null(manifest);
        Assert.Equal("a snapshot of incident `inc_1` was already taken: a snapshot is written once", error);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(_directory, "inc_1.export.ndjson")));
        }
    }

    [Fact]
    public async Task TakeAsync_NoSignedCheckpoint_WritesNothing()
    {
        await using var storage = new MemoryLogStorage();

        var (manifest, error) = await ForensicSnapshot.TakeAsync(storage, IncidentTests.Open(), _directory, default);

        Assert.Null(manifest);
        Assert.NotNull(error);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    private static async Task AppendSignedAsync(MemoryLogStorage storage)
    {
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogTestData.LogKey, null, default);
        foreach (var body in new[] { """{"recipient":"other-lab"}""", """{"recipient":"lab"}""", """{"dataset":"other"}""", """{"dataset":"records"}""" })
        {
            await log.AppendAsync("gateway.egress/v1", JsonDocument.Parse(body).RootElement.Clone(), default);
        }

        Assert.True((await log.SignCheckpointAsync(default)).IsSigned);
    }
}
