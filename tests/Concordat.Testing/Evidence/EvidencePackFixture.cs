using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Crypto;
using Concordat.Decisions;
using Concordat.Evidence;
using Concordat.Log;
using Concordat.Testing.Log;
using Xunit;

namespace Concordat.Testing.Evidence;

/// <summary>
/// A log holding the access record of the sample agreement <c>hospital-research</c> among another agreement's entries,
/// a checkpoint over it, and the helpers the pack tests share: build, verify, and rewrite a pack's files.
/// </summary>
public static class EvidencePackFixture
{
    public const string Agreement = "hospital-research";
    public const string Recipient = "northwind-research";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    // The sample agreement compiled once: the benchmarks write a million decisions with it.
    private static readonly Lazy<(PolicyIndex Index, global::Concordat.Core.Sha256Digest Digest)> s_sample = new(() =>
    {
        var agreement = SampleAgreement();
        var digest = AgreementDigest.Compute(agreement);
        return (PolicyIndex.Compile([new PolicyAgreement(agreement, digest)]), digest);
    });

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

    /// <summary>A record of six entries of the agreement (three decisions the engine made, three tokens) and four of another, interleaved.</summary>
    public static IEnumerable<LogEntry> Traffic()
    {
        var at = Start;
        for (var i = 0; i < 3; i++)
        {
            yield return Decision(at = at.AddMinutes(1), $"dec_{i:d24}", DecisionRequestAt(at), null);
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
            yield return Token(at = at.AddMinutes(1), $"dec_{i:d24}", $"tok_{i}", TimeSpan.FromMinutes(15));
        }

        yield return Entry("gateway.identity-created/v1", at.AddMinutes(1), new JsonObject { ["clientId"] = "cli_9", ["recipient"] = "atlas-models", ["role"] = "training" });
    }

    /// <summary>An incident of the agreement after <see cref="Traffic"/>: opened by an alert, sealed, notified, closed.</summary>
    public static IEnumerable<LogEntry> Incident()
    {
        var at = Start.AddHours(1);
        yield return Entry("gateway.alert/v1", at, new JsonObject { ["alert"] = "volume-spike", ["recipient"] = Recipient, ["agreement"] = Agreement });
        yield return Entry("gateway.incident-opened/v1", at.AddMinutes(1), new JsonObject
        {
            ["incidentId"] = "inc_1",
            ["severity"] = "high",
            ["suspected"] = "bulk pull beyond the baseline",
            ["triageOwner"] = "dpo@hospital.example",
            ["detectedAt"] = global::Concordat.Core.Rfc3339.Format(at),
            ["agreements"] = new JsonArray(Agreement),
            ["recipients"] = new JsonArray(Recipient),
            ["datasets"] = new JsonArray("cardiology-records"),
            ["alerts"] = new JsonArray(10),
            ["actor"] = "gateway",
        });
        yield return Act(at.AddMinutes(4), "seal", null);
        yield return Act(at.AddMinutes(30), "notify", "regulator");
        yield return Act(at.AddHours(3), "close", null);

        static LogEntry Act(DateTimeOffset time, string act, string? whom)
        {
            var body = new JsonObject { ["incidentId"] = "inc_1", ["act"] = act, ["actor"] = "dpo@hospital.example" };
            if (whom is not null)
            {
                body["whom"] = whom;
            }

            return Entry("gateway.incident-act/v1", time, body);
        }
    }

    /// <summary>Parses the sample agreement.</summary>
    public static Agreement SampleAgreement() =>
        AgreementReader.Read(File.ReadAllText(Sample("agreements/hospital-research.yaml")), "hospital-research.yaml").Agreement!;

    /// <summary>A read-rows request of the sample's recipient for its dataset, processed in <paramref name="jurisdiction"/> (the sample permits `NL`, prohibits `US`).</summary>
    public static DecisionRequest DecisionRequestAt(DateTimeOffset time, string jurisdiction = "NL") =>
        new(new PartyId(Recipient), DataAction.ReadRows, new DatasetId("cardiology-records"), new PurposeId("research"), new Jurisdiction(jurisdiction), null, time);

    /// <summary>
    /// A decision entry as the gateway writes it: the record of <paramref name="request"/> with the engine's decision over
    /// the sample agreement, or, when <paramref name="decidedAs"/> is given, with the engine's decision of that other request
    /// (a forged record: the decision of one request written for another).
    /// </summary>
    public static LogEntry Decision(DateTimeOffset time, string decisionId, DecisionRequest request, DecisionRequest? decidedAs)
    {
        var (index, digest) = s_sample.Value;
        var decision = index.Decide(decidedAs ?? request);
        var record = DecisionRecordV1.Create(request, decision);
        var body = new JsonObject
        {
            ["decisionId"] = decisionId,
            ["recipient"] = Recipient,
            ["dataset"] = "cardiology-records",
            ["purpose"] = request.Purpose.Value,
            ["jurisdiction"] = request.Jurisdiction.Value,
            ["action"] = "read-rows",
            ["effect"] = decision.IsPermit ? "permit" : "deny",
            ["reasons"] = new JsonArray(),
            ["record"] = record.ToJson(),
        };
        if (decision.IsPermit)
        {
            body["agreement"] = Agreement;
            body["agreementDigest"] = digest.ToString();
        }

        return Entry("gateway.decision/v1", time, body);
    }

    public static LogEntry Token(DateTimeOffset time, string decisionId, string tokenId, TimeSpan lifetime) =>
        Entry("gateway.token-issued/v1", time, new JsonObject
        {
            ["tokenId"] = tokenId,
            ["decisionId"] = decisionId,
            ["recipient"] = Recipient,
            ["clientId"] = "cli_1",
            ["expiresAt"] = global::Concordat.Core.Rfc3339.Format(time + lifetime),
        });

    /// <summary>
    /// An egress entry as the gateway writes it, logging <paramref name="obligations"/> as carried out, by default those
    /// the sample agreement's decision of a request at <paramref name="time"/> demands.
    /// </summary>
    public static LogEntry Egress(DateTimeOffset time, string decisionId, string dataset, IReadOnlyList<string>? obligations = null) =>
        Entry("gateway.egress/v1", time, new JsonObject
        {
            ["decisionId"] = decisionId,
            ["tokenId"] = "tok_0",
            ["recipient"] = Recipient,
            ["dataset"] = dataset,
            ["format"] = "ndjson",
            ["rows"] = 10,
            ["bytesWritten"] = 100,
            ["sha256"] = "sha256:" + new string('0', 64),
            ["completed"] = true,
            ["obligations"] = new JsonArray([.. (obligations ?? SampleEgressObligations(time)).Select(o => (JsonNode)o)]),
        });

    /// <summary>The obligations an egress carries out under the sample agreement's decision of a request at <paramref name="time"/>.</summary>
    public static IReadOnlyList<string> SampleEgressObligations(DateTimeOffset time) =>
        DecisionNames.ToEgressNames(s_sample.Value.Index.Decide(DecisionRequestAt(time)).Obligations);

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
