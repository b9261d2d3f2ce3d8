using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Lineage;
using Concordat.Log;

namespace Concordat.Benchmarks.Lineage;

/// <summary>
/// <c>lineage impact</c> on a large log: 1 M entries by default (CONCORDAT_LINEAGE_ENTRIES), of which 10,000 egress
/// (CONCORDAT_LINEAGE_EGRESS) of one dataset version, each after its permit decision, the rest denied decisions and
/// token entries the graph reads past; 100 models trained on egress, each tenth on the model before it. The log is
/// written once to a temporary file of length-prefixed entries and read back as the CLI reads a store or an export:
/// <see cref="LoadGraph"/> adds every entry's stored bytes and builds the graph (the load, paid once; only the entries
/// the graph reads are parsed); <see cref="Impact"/> answers
/// the query on the loaded graph (goal: under 1 s). The setup prints the graph's retained memory, which must follow the
/// graph (egress, versions, models), not the log. Figures in docs/benchmarks.md, section "Lineage".
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortConfig))]
public class LineageBenchmarks
{
    private const string Dataset = "cardiology-records";
    private const int Models = 100;

    private static readonly int s_entries = Setting("CONCORDAT_LINEAGE_ENTRIES", 1_000_000);
    private static readonly int s_egress = Setting("CONCORDAT_LINEAGE_EGRESS", 10_000);
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private string _file = null!;
    private LineageGraph _graph = null!;
    private List<InTotoStatement> _models = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = Path.Combine(Path.GetTempPath(), $"concordat-lineage-{s_entries}-{s_egress}.bin");
        WriteLog(_file);
        _models = CreateModels();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        _graph = LoadGraph();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var impact = _graph.Impact(Dataset, 1, []);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// lineage: {s_entries:N0} entries ({new FileInfo(_file).Length / 1e6:N1} MB), {impact.Egress.Count:N0} egress, {impact.Models.Count} models touched; graph retained {(after - before) / 1e6:N1} MB"));
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_file);

    /// <summary>Reads every entry of the log file and adds its stored bytes to a new graph (which parses the few it reads), then builds it.</summary>
    [Benchmark(Baseline = true)]
    public LineageGraph LoadGraph()
    {
        var builder = new LineageGraphBuilder();
        using var stream = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> prefix = stackalloc byte[4];
        var buffer = new byte[LogEntry.MaxSize];
        for (var index = 0L; stream.Read(prefix) == 4; index++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
            stream.ReadExactly(buffer, 0, length);
            builder.Add(index, buffer.AsMemory(0, length));
        }

        foreach (var model in _models)
        {
            builder.AddModel(model);
        }

        return builder.Build();
    }

    /// <summary>What the dataset version touches, on the loaded graph: every egress, recipient, token, agreement and model.</summary>
    [Benchmark]
    public LineageImpact Impact() => _graph.Impact(Dataset, 1, []);

    private static void WriteLog(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var index = 0;
        void Write(string type, JsonObject body)
        {
            var entry = LogEntry.Create(type, s_start.AddSeconds(index), JsonSerializer.SerializeToElement(body));
            Span<byte> prefix = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(prefix, entry.CanonicalBytes.Length);
            stream.Write(prefix);
            stream.Write(entry.CanonicalBytes.Span);
            index++;
        }

        Write("gateway.agreement/v1", new JsonObject { ["agreement"] = "hospital-research", ["version"] = 1, ["digest"] = Digest("agreement"), ["state"] = "active" });
        Write("gateway.dataset-import/v1", new JsonObject { ["dataset"] = Dataset, ["version"] = 1, ["manifest"] = Digest("manifest"), ["rows"] = 20_000 });

        // Invariant: the egress are spread evenly through the log, each right after its decision, as the gateway writes them.
        var every = Math.Max(3, (s_entries - 2) / Math.Max(1, s_egress));
        var egress = 0;
        while (index < s_entries)
        {
            if (egress < s_egress && (index - 2) % every == 0 && index + 1 < s_entries)
            {
                var decisionId = DecisionId(egress);
                var recipient = $"recipient-{egress % 50:D2}";
                Write("gateway.decision/v1", new JsonObject { ["decisionId"] = decisionId, ["recipient"] = recipient, ["dataset"] = Dataset, ["purpose"] = "research", ["effect"] = "permit", ["agreement"] = "hospital-research", ["agreementDigest"] = Digest("agreement"), ["datasetVersion"] = 1, ["reasons"] = new JsonArray() });
                Write("gateway.egress/v1", new JsonObject { ["decisionId"] = decisionId, ["tokenId"] = $"tok_{egress / 4:D8}", ["recipient"] = recipient, ["dataset"] = Dataset, ["datasetVersion"] = 1, ["rows"] = 20, ["completed"] = true });
                egress++;
            }
            else if (index % 2 == 0)
            {
                Write("gateway.decision/v1", new JsonObject { ["decisionId"] = $"dec_x{index:D12}", ["recipient"] = "recipient-00", ["dataset"] = Dataset, ["purpose"] = "marketing", ["effect"] = "deny", ["reasons"] = new JsonArray("no grant permits the purpose") });
            }
            else
            {
                Write("gateway.token-issued/v1", new JsonObject { ["tokenId"] = $"tok_x{index:D12}", ["recipient"] = "recipient-00", ["dataset"] = Dataset });
            }
        }
    }

    // 100 models: each trained on one egress, every tenth also on the model before it, so downstream models chain.
    private static List<InTotoStatement> CreateModels() =>
        [.. Enumerable.Range(0, Models).Select(i =>
        {
            var inputs = new JsonArray(Input(AttestationPredicateTypes.Egress, $"egress/{DecisionId(i * Math.Max(1, s_egress / Models) % Math.Max(1, s_egress))}.csv", Digest($"rows{i}")));
            if (i % 10 == 9)
            {
                inputs.Add(Input(AttestationPredicateTypes.Model, "model.bin", Digest($"weights{i - 1}")));
            }

            return new InTotoStatement(
                [AttestationSubject.FromSha256("model.bin", Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"weights{i}")))],
                AttestationPredicateTypes.Model,
                new JsonObject { ["model"] = $"model-{i:D3}", ["trainer"] = "recipient-00", ["purpose"] = "research", ["inputs"] = inputs });
        })];

    private static JsonObject Input(string predicateType, string name, string sha256) =>
        new() { ["predicateType"] = predicateType, ["subjects"] = new JsonArray(new JsonObject { ["name"] = name, ["sha256"] = sha256 }) };

    private static string DecisionId(int egress) => $"dec_{egress:D24}";

    private static string Digest(string text) => Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes(text)).ToString();

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
