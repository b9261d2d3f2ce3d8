using System.Text;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Gateway.Journal;
using Concordat.Log;
using Concordat.Privacy.Accounting;
using Concordat.Privacy.Noise;
using Concordat.Testing;

namespace Concordat.Gateway.Tests.Journal;

/// <summary>
/// One canonical example of every <c>gateway.*/v1</c> entry kind, checked byte for byte against the files in
/// <c>golden/</c>, so that any change to a persisted entry shows up in review. Set CONCORDAT_UPDATE_GOLDEN=1 to rewrite
/// the files for a human to review (after adding a member to an entry, say); the test never does so by itself.
/// </summary>
public sealed class GatewayEntryGoldenTests
{
    private static readonly string s_folder = Path.Combine(RepositoryRoot.Find(), "tests", "Concordat.Gateway.Tests", "Journal", "golden");

    // Seven fraction digits and an offset other than UTC, so that the examples show both normalised away.
    private static readonly DateTimeOffset s_at = new DateTimeOffset(2026, 3, 4, 4, 6, 7, TimeSpan.FromHours(1)).AddTicks(8_914_567);

    private static readonly JsonElement s_record = JsonDocument.Parse(
        """{"agreements":[{"digest":"sha256:0000000000000000000000000000000000000000000000000000000000000001","id":"acme-2026","version":1}],"diagnostics":[],"effect":"permit","engine":"concordat-decisions/1","id":"00000000000000000000000000000001","obligations":{"fieldRules":[]},"reasons":[{"agreement":"acme-2026","clause":"g1","code":"permitted-by-grant"}],"request":{"action":"read-rows","dataset":"records","jurisdiction":"DE","purpose":"research","recipient":"lab","time":"2026-03-04T03:06:07.891Z"},"time":"2026-03-04T03:06:07.891Z","version":1}""").RootElement.Clone();

    private static readonly GatewayEntry[] s_examples =
    [
        new DecisionEntry(s_at, "dec_000000000000000000000001", "lab", "cli_1", "records", "research", "DE", "read-rows", "permit", "acme-2026", "sha256:0000000000000000000000000000000000000000000000000000000000000001", ["permitted-by-grant: g1"], s_record, 3, "sha256:0000000000000000000000000000000000000000000000000000000000000004"),
        new TokenIssuedEntry(s_at, "tok_1", "dec_000000000000000000000001", "lab", "cli_1", s_at.AddMinutes(15)),
        new TokenRevokedEntry(s_at, "tok_1", "lab", "operator"),
        new EgressEntry(s_at, "dec_000000000000000000000001", "tok_1", "lab", "records", "csv", 20, 1234, "sha256:0000000000000000000000000000000000000000000000000000000000000002", false, "seal", 3, "sha256:0000000000000000000000000000000000000000000000000000000000000004", 2, 1, ["field `name`: drop", "row: consent"]),
        new RefusalEntry(s_at, "GW6010", 429, "GET /v1/datasets/{datasetId}/rows", "lab", "cli_1", "tok_1", null, 3),
        new SealEntry(s_at, "lab", "incident 7", 2, 1, 1, 12.5),
        new UnsealEntry(s_at, "lab", "incident 7 closed"),
        new IdentityEntry(s_at, "cli_1", "lab", "training"),
        new AgreementEntry(s_at, "acme-2026", 2, "sha256:0000000000000000000000000000000000000000000000000000000000000003", "active", 1, []),
        new IdentityRevokedEntry(s_at, "cli_1", "lab", 2),
        new DatasetImportEntry(s_at, "records", 1, "sha256:0000000000000000000000000000000000000000000000000000000000000004", 20),
        new AttestationEntry(s_at, "egress", "https://concordat.example/attestations/egress/v1", [new AttestedSubject("egress/dec_000000000000000000000001.csv", "sha256:0000000000000000000000000000000000000000000000000000000000000002")], "sha256:0000000000000000000000000000000000000000000000000000000000000005", "concordat.local/log+1a2b3c4d", DecisionId: "dec_000000000000000000000001", Recipient: "lab"),
        new AlertEntry(s_at, "volume-spike", "lab", "cli_1", s_at.AddMinutes(-3), 48_000, 10_000, "rows", ["acme-2026"]),
        new IncidentOpenedEntry(s_at, "inc_000000000000000000000001", "high", "bulk download by lab", "responder-on-call", s_at.AddMinutes(-5), ["acme-2026"], ["lab"], ["records"], [12], "operator"),
        new IncidentActEntry(s_at, "inc_000000000000000000000001", "notify", "operator", "told the DPO by phone", "authority:DE", s_at.AddMinutes(-1)),
        new AggregateQueryEntry(
            new PrivacySpend(
                new BudgetKey(new PartyId("lab"), new AgreementId("acme-2026"), new ClauseId("g1")),
                s_at,
                "sha256:0000000000000000000000000000000000000000000000000000000000000005",
                [new NoiseRelease(NoiseMechanism.DiscreteGaussian, new Rational(1000, 1), Rational.FromInteger(1)), new NoiseRelease(NoiseMechanism.DiscreteLaplace, Rational.FromInteger(40), Rational.FromInteger(2), 2)]),
            new BudgetStatus(new Rational(1, 100), new Rational(1, 50), new Rational(1, 100), null)),
        new ReportReceivedEntry(s_at, "rep_000000000000000000000001", "inc_000000000000000000000001", "vulnerability", "anonymous", "acme-2026", "sha256:0000000000000000000000000000000000000000000000000000000000000007", "sha256:0000000000000000000000000000000000000000000000000000000000000008", s_at.AddDays(2), s_at.AddDays(30)),
        new DeletionAttestedEntry(s_at, "lab", ["dec_000000000000000000000001"], s_at.AddDays(-1), "sha256:0000000000000000000000000000000000000000000000000000000000000006", "lab+1a2b3c4d"),
        new ErasureEntry(s_at, "records", [new ErasedVersion(3, "sha256:0000000000000000000000000000000000000000000000000000000000000004", "sha256:000000000000000000000000000000000000000000000000000000000000000a", 1)], 1, "hmac-sha256:000000000000000000000000000000000000000000000000000000000000000b", ["dec_000000000000000000000001"], "sha256:000000000000000000000000000000000000000000000000000000000000000c"),
        new DiligenceRecordedEntry(s_at, "cloudlab-compute", "concordat-vendor-due-diligence", 1, "85.7", true, "st-aurelia-security", s_at.AddDays(-3), "sha256:0000000000000000000000000000000000000000000000000000000000000009", "st-aurelia-security+1a2b3c4d"),
    ];

    public static TheoryData<string> EntryTypes() => [.. s_examples.Select(e => e.EntryType)];

    [Theory]
    [MemberData(nameof(EntryTypes))]
    public void ToLogEntry_Example_MatchesGoldenFileByteForByte(string type)
    {
        var path = Path.Combine(s_folder, type.Replace('/', '-') + ".json");

        var bytes = s_examples.Single(e => e.EntryType == type).ToLogEntry().CanonicalBytes.ToArray();

        if (Environment.GetEnvironmentVariable("CONCORDAT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(path, bytes);
        }

        Assert.True(File.Exists(path), $"missing golden file {path}; run with CONCORDAT_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(Encoding.UTF8.GetString(File.ReadAllBytes(path)), Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Examples_CoverEveryEntryKind()
    {
        var kinds = typeof(GatewayEntry).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(GatewayEntry)) && !t.IsAbstract);

        Assert.Equal(kinds.Select(k => k.Name).Order(StringComparer.Ordinal), s_examples.Select(e => e.GetType().Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GoldenFiles_EachIsACanonicalEntryOfItsKind()
    {
        var files = Directory.GetFiles(s_folder, "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(s_examples.Select(e => e.EntryType.Replace('/', '-') + ".json").Order(StringComparer.Ordinal), files);
        foreach (var example in s_examples)
        {
            var bytes = File.ReadAllBytes(Path.Combine(s_folder, example.EntryType.Replace('/', '-') + ".json"));
            Assert.True(LogEntry.TryParse(bytes, out var entry, out var error), error);
            Assert.Equal(example.EntryType, entry.Type);
        }
    }

    [Fact]
    public void ToLogEntry_EveryTime_IsUtcWithMillisecondsAndZ()
    {
        var times = s_examples.Select(e => e.ToLogEntry().ToString())
            .SelectMany(text => System.Text.RegularExpressions.Regex.Matches(text, "\"(time|expiresAt)\":\"([^\"]*)\"").Select(m => m.Groups[2].Value))
            .ToList();

        Assert.Contains("2026-03-04T03:21:07.891Z", times);
        Assert.All(times, t => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", t));
    }
}
