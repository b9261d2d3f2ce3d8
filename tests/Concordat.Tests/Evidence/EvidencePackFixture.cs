using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Crypto;
using Concordat.Evidence;
using Concordat.Log;
using Concordat.Testing.Log;

namespace Concordat.Tests.Evidence;

/// <summary>
/// A log holding the access record of the sample agreement <c>hospital-research</c> among another agreement's entries,
/// a checkpoint over it, and the helpers the pack tests share: build, verify, and rewrite a pack's files.
/// </summary>
internal static class EvidencePackFixture
{
    public const string Agreement = "hospital-research";
    public const string Recipient = "northwind-research";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public static NoteSignerKey LogKey => LogTestData.LogKey;

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    /// <summary>Appends the entries <paramref name="entries"/> to a new log and signs a checkpoint over them.</summary>
    public static async Task<MemoryLogStorage> CreateLogAsync(IEnumerable<LogEntry> entries)
    {
        var storage = new MemoryLogStorage();
        await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, LogKey, null, default);
        foreach (var entry in entries)
        {
            var result = await log.AppendAsync(entry, default);
            Assert.False(result.IsPushback);
        }

        var outcome = await log.SignCheckpointAsync(default);
        Assert.True(outcome.IsSigned, outcome.Problem?.Message);
        return storage;
    }

    /// <summary>A record of six entries of the agreement and four of another, interleaved.</summary>
    public static IEnumerable<LogEntry> Traffic()
    {
        var at = Start;
        for (var i = 0; i < 3; i++)
        {
            yield return Entry("gateway.decision/v1", at = at.AddMinutes(1), new JsonObject
            {
                ["decisionId"] = $"dec_{i:d24}",
                ["recipient"] = Recipient,
                ["dataset"] = "cardiology-records",
                ["purpose"] = "research",
                ["jurisdiction"] = "NL",
                ["action"] = "read-rows",
                ["effect"] = "permit",
                ["agreement"] = Agreement,
                ["reasons"] = new JsonArray("permitted-by-grant: research-rows"),
            });
            yield return Entry("gateway.decision/v1", at = at.AddMinutes(1), new JsonObject
            {
                ["decisionId"] = $"dec_{i + 100:d24}",
                ["recipient"] = "atlas-models",
                ["dataset"] = "corpus",
                ["purpose"] = "evaluation",
                ["jurisdiction"] = "US",
                ["action"] = "read-rows",
                ["effect"] = "permit",
                ["agreement"] = "foundation-evaluation",
                ["reasons"] = new JsonArray(),
            });
            yield return Entry("gateway.token-issued/v1", at = at.AddMinutes(1), new JsonObject
            {
                ["tokenId"] = $"tok_{i}",
                ["decisionId"] = $"dec_{i:d24}",
                ["recipient"] = Recipient,
                ["clientId"] = "cli_1",
                ["expiresAt"] = "2026-03-01T10:00:00.000Z",
            });
        }

        yield return Entry("gateway.identity-created/v1", at.AddMinutes(1), new JsonObject { ["clientId"] = "cli_9", ["recipient"] = "atlas-models", ["role"] = "training" });
    }

    public static LogEntry Entry(string type, DateTimeOffset time, JsonObject body) =>
        LogEntry.Create(type, time, JsonSerializer.SerializeToElement(body));

    public static EvidencePackRequest Request(DateTimeOffset? from = null, DateTimeOffset? to = null) => new(
        new AgreementId(Agreement),
        [new EvidenceAgreementVersion(1, File.ReadAllBytes(Sample("agreements/hospital-research.yaml")), File.ReadAllText(Sample("agreements/hospital-research.sigs.json")))],
        File.ReadAllText(Sample("trusted-keys.txt")),
        from,
        to,
        Start.AddDays(30));

    public static async Task<byte[]> BuildAsync(ILogStorage storage, EvidencePackRequest request)
    {
        using var output = new MemoryStream();
        var result = await EvidencePackBuilder.BuildAsync(storage, request, LogKey, output, null, default);
        Assert.True(result.IsBuilt, result.Problem?.Message);
        return output.ToArray();
    }

    public static async Task<EvidencePackVerification> VerifyAsync(byte[] pack, NoteVerifierKey? logKey = null)
    {
        using var input = new MemoryStream(pack);
        return await EvidencePackVerifier.VerifyAsync(input, logKey ?? LogKey.VerifierKey, [], default);
    }

    /// <summary>Reads a pack's files, in order, the manifest included.</summary>
    public static List<(string Name, byte[] Content)> Files(byte[] pack)
    {
        using var archive = new ZipArchive(new MemoryStream(pack), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e =>
        {
            using var content = new MemoryStream();
            using (var stream = e.Open())
            {
                stream.CopyTo(content);
            }

            return (e.FullName, content.ToArray());
        })];
    }

    /// <summary>Writes <paramref name="files"/> as a zip as they are (the manifest kept as given).</summary>
    public static byte[] Zip(IEnumerable<(string Name, byte[] Content)> files)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    /// <summary>Writes <paramref name="files"/> as a zip with a manifest signed again by the log key, as an operator forging a pack could.</summary>
    public static byte[] ZipResigned(IEnumerable<(string Name, byte[] Content)> files)
    {
        var listed = files.Where(f => f.Name != EvidencePackLayout.ManifestFile).ToList();
        var statement = new InTotoStatement(
            [.. listed.Select(f => AttestationSubject.FromSha256(f.Name, global::Concordat.Core.Sha256Digest.Compute(f.Content)))],
            EvidencePackLayout.PredicateType,
            new JsonObject { ["format"] = EvidencePackLayout.Format });
        return Zip([.. listed, (EvidencePackLayout.ManifestFile, Attestation.Sign(statement, LogKey).ToJson())]);
    }

    public static byte[] Replace(List<(string Name, byte[] Content)> files, string name, Func<byte[], byte[]> change)
    {
        var index = files.FindIndex(f => f.Name == name);
        Assert.True(index >= 0, $"no {name}");
        files[index] = (name, change(files[index].Content));
        return Encoding.UTF8.GetBytes(name);
    }
}
