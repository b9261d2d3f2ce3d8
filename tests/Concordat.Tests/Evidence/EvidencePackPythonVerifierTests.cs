using System.Diagnostics;
using System.Text.Json.Nodes;
using Concordat.Testing;
using Concordat.Testing.Evidence;

namespace Concordat.Tests.Evidence;

/// <summary>
/// A pack verified by an independent verifier, <c>evidence_verify.py</c>, written in Python from
/// docs/formats/evidence-pack.md alone (standard library and <c>cryptography</c>): its manifest signature, checkpoint
/// signature, range and inclusion proofs hold, and it counts what Concordat's verifier counts.
/// </summary>
public sealed class EvidencePackPythonVerifierTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-evidence-py-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task PythonVerifier_BuiltPack_VerifiesWithTheSameCounts()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());
        var pack = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request(EvidencePackFixture.Start.AddMinutes(2)));
        var path = Path.Combine(_folder, "pack.zip");
        await File.WriteAllBytesAsync(path, pack);

        var (exit, output) = await RunAsync(path);
        var ours = await EvidencePackFixture.VerifyAsync(pack);

        Assert.True(exit == 0, output);
        var counts = JsonNode.Parse(output)!["counts"]!;
        foreach (var kind in new[] { "files", "checkpoints", "rangeProofs", "entries", "inclusionProofs", "entries:gateway.decision/v1", "complianceReports", "complianceItems", "lintReports", "lintWarnings" })
        {
            Assert.Equal(ours.Counts[kind], counts[kind]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task PythonVerifier_ChangedEntryUnderResignedManifest_Fails()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic());
        var files = EvidencePackFixture.Files(await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request()));
        EvidencePackFixture.Replace(files, "log/leaf-hashes.bin", c =>
        {
            c[0] ^= 1;
            return c;
        });
        var path = Path.Combine(_folder, "forged.zip");
        await File.WriteAllBytesAsync(path, EvidencePackFixture.ZipResigned(files));

        var (exit, output) = await RunAsync(path);

        Assert.Equal(4, exit);
        Assert.Contains("do not recompute the checkpoint's root", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string pack)
    {
        var script = Path.Combine(RepositoryRoot.Find(), "tests", "Concordat.Tests", "Evidence", "evidence_verify.py");
        using var process = Process.Start(new ProcessStartInfo("python3", [script, pack, EvidencePackFixture.LogKey.VerifierKey.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
