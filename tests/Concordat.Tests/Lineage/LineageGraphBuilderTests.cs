using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Lineage;
using Concordat.Log;

namespace Concordat.Tests.Lineage;

/// <summary>
/// Adding stored bytes (only the entries the graph reads are parsed) builds the same graph as parsing every entry and
/// adding it, on a generated log of every kind the graph reads and reads past, including bytes that are no entry.
/// </summary>
public sealed class LineageGraphBuilderTests
{
    private static readonly DateTimeOffset s_time = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private static readonly string[] s_recipients = ["north", "south", "east"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AddStored_GeneratedLog_SameGraphAsParsingEveryEntry(int seed)
    {
        var (log, models) = GenerateLog(new Random(seed), 600);
        var parsed = new LineageGraphBuilder();
        var stored = new LineageGraphBuilder();

        for (var index = 0; index < log.Count; index++)
        {
            if (LogEntry.TryParse(log[index], out var entry, out _))
            {
                parsed.Add(index, entry);
            }

            stored.Add(index, log[index]);
        }

        foreach (var (statement, envelope) in models)
        {
            parsed.AddModel(statement, envelope);
            stored.AddModel(statement, envelope);
        }

        foreach (var size in new long[] { log.Count, log.Count / 2, log.Count / 3, 1 })
        {
            Assert.Equal(Describe(parsed.Build(size)), Describe(stored.Build(size)));
        }

        var graph = stored.Build();
        Assert.NotEmpty(graph.Egress);
        Assert.NotEmpty(graph.Models);
        Assert.NotEmpty(graph.DatasetVersions);
        Assert.Contains(graph.Egress, e => e.AgreementDigest is not null);
    }

    [Fact]
    public void IsRead_EntriesTheGraphReadsPast_NotParsed()
    {
        Assert.False(LineageEntryFilter.IsRead(Entry("gateway.token-issued/v1", new JsonObject { ["tokenId"] = "tok_1" })));
        Assert.False(LineageEntryFilter.IsRead(Entry(LineageEntryFilter.Decision, new JsonObject { ["effect"] = "deny", ["datasetVersion"] = 1 })));
        Assert.False(LineageEntryFilter.IsRead(Entry(LineageEntryFilter.Decision, new JsonObject { ["attributes"] = new JsonObject { ["effect"] = "permit" }, ["effect"] = "deny" })));
        Assert.False(LineageEntryFilter.IsRead(Entry(LineageEntryFilter.Attestation, new JsonObject { ["kind"] = "egress" })));
        Assert.True(LineageEntryFilter.IsRead(Entry(LineageEntryFilter.Decision, new JsonObject { ["attributes"] = new JsonObject { ["effect"] = "deny" }, ["effect"] = "permit" })));
        Assert.True(LineageEntryFilter.IsRead(Entry(LineageEntryFilter.Attestation, new JsonObject { ["kind"] = "model" })));
        Assert.True(LineageEntryFilter.IsRead(Entry(LineageEntryFilter.Egress, new JsonObject())));
        Assert.True(LineageEntryFilter.IsRead("not json"u8));
    }

    [Fact]
    public void AddStored_LastEntryDoesNotParse_StillCountedInTheTreeSize()
    {
        var builder = new LineageGraphBuilder();

        builder.Add(0, Entry(LineageEntryFilter.DatasetImport, new JsonObject { ["dataset"] = "records", ["version"] = 1, ["manifest"] = "sha256:00", ["rows"] = 2 }));
        builder.Add(1, "{ \"body\": {} }"u8.ToArray());

        Assert.Equal(2, builder.Build().TreeSize);
        Assert.Equal(["records@1"], builder.Build().DatasetVersions.Select(v => v.Name));
    }

    // Everything the graph answers, as text: versions, egress, models, and every version's impact for the operator and each recipient.
    private static string Describe(LineageGraph graph)
    {
        var impacts = new JsonArray();
        foreach (var dataset in new[] { "records", "images" })
        {
            for (var version = 1; version <= 3; version++)
            {
                foreach (var recipient in s_recipients.Prepend(null))
                {
                    impacts.Add(JsonSerializer.SerializeToNode(graph.Impact(dataset, version, [], recipient)));
                }
            }
        }

        return new JsonObject
        {
            ["treeSize"] = graph.TreeSize,
            ["versions"] = JsonSerializer.SerializeToNode(graph.DatasetVersions),
            ["egress"] = JsonSerializer.SerializeToNode(graph.Egress),
            ["models"] = JsonSerializer.SerializeToNode(graph.Models),
            ["impacts"] = impacts,
        }.ToJsonString();
    }

    // A log of imports, decisions (permitted or not, with an `effect` nested deeper too), egress, agreements, model and
    // egress attestations, tokens and alerts, and bytes that are no canonical entry; and models, some logged.
    private static (List<byte[]> Log, List<(InTotoStatement Statement, Sha256Digest Envelope)> Models) GenerateLog(Random random, int count)
    {
        var log = new List<byte[]>();
        var models = new List<(InTotoStatement, Sha256Digest)>();
        string Dataset() => random.Next(4) == 0 ? "images" : "records";
        string DecisionId() => $"dec_{random.Next(40):D3}";
        JsonNode Version() => random.Next(5) == 0 ? JsonValue.Create(random.Next(1, 4).ToString(System.Globalization.CultureInfo.InvariantCulture)) : JsonValue.Create(random.Next(1, 4));
        while (log.Count < count)
        {
            JsonObject body;
            string type;
            switch (random.Next(12))
            {
                case 0:
                    type = LineageEntryFilter.DatasetImport;
                    body = new JsonObject { ["dataset"] = Dataset(), ["version"] = Version(), ["manifest"] = $"sha256:{random.Next(9)}", ["rows"] = random.Next(100) };
                    break;
                case 1 or 2:
                    type = LineageEntryFilter.Decision;
                    body = new JsonObject { ["decisionId"] = DecisionId(), ["effect"] = random.Next(3) == 0 ? "deny" : "permit", ["agreement"] = "a", ["agreementDigest"] = $"sha256:a{random.Next(3)}", ["purpose"] = random.Next(2) == 0 ? "research" : "evaluation" };
                    if (random.Next(4) != 0)
                    {
                        body["datasetVersion"] = Version();
                    }

                    if (random.Next(4) == 0)
                    {
                        body["attributes"] = new JsonObject { ["effect"] = random.Next(2) == 0 ? "permit" : "deny" };
                    }

                    break;
                case 3 or 4:
                    type = LineageEntryFilter.Egress;
                    body = new JsonObject { ["decisionId"] = DecisionId(), ["dataset"] = Dataset(), ["datasetVersion"] = Version(), ["recipient"] = s_recipients[random.Next(3)], ["tokenId"] = $"tok_{random.Next(9)}", ["rows"] = random.Next(50), ["completed"] = random.Next(4) != 0 };
                    break;
                case 5:
                    type = LineageEntryFilter.Agreement;
                    body = new JsonObject { ["agreement"] = "a", ["version"] = random.Next(1, 4), ["digest"] = $"sha256:a{random.Next(3)}", ["state"] = "active" };
                    break;
                case 6:
                    var (statement, envelope) = ModelOf(models.Count, DecisionId());
                    models.Add((statement, envelope));
                    type = LineageEntryFilter.Attestation;
                    body = random.Next(3) == 0
                        ? new JsonObject { ["kind"] = "egress", ["model"] = $"m{models.Count - 1}@1", ["envelope"] = envelope.ToString() }
                        : new JsonObject { ["kind"] = "model", ["model"] = $"m{models.Count - 1}@1", ["envelope"] = envelope.ToString() };
                    break;
                case 7:
                    // Bytes that are no canonical entry: a decision the graph would read, but with a space in it.
                    var spaced = Encoding.UTF8.GetString(Entry(LineageEntryFilter.Decision, new JsonObject { ["decisionId"] = DecisionId(), ["effect"] = "permit", ["datasetVersion"] = 1 }));
                    log.Add(Encoding.UTF8.GetBytes(spaced.Replace("{\"body\":", "{\"body\": ", StringComparison.Ordinal)));
                    continue;
                case 8:
                    log.Add(Encoding.UTF8.GetBytes("{\"body\":[1],\"time\":\"2026-03-04T05:06:07.000Z\",\"type\":\"gateway.egress/v1\"}"));
                    continue;
                case 9:
                    type = "gateway.alert/v1";
                    body = new JsonObject { ["alert"] = "overdue", ["subject"] = DecisionId() };
                    break;
                default:
                    type = "gateway.token-issued/v1";
                    body = new JsonObject { ["tokenId"] = $"tok_{random.Next(9)}", ["recipient"] = s_recipients[random.Next(3)] };
                    break;
            }

            log.Add(Entry(type, body));
        }

        return (log, models);
    }

    private static (InTotoStatement Statement, Sha256Digest Envelope) ModelOf(int number, string decisionId)
    {
        var input = new JsonObject { ["predicateType"] = AttestationPredicateTypes.Egress, ["subjects"] = new JsonArray(new JsonObject { ["name"] = $"egress/{decisionId}.csv", ["sha256"] = Digest(decisionId) }) };
        var statement = new InTotoStatement(
            [AttestationSubject.FromSha256("model.bin", Sha256Digest.Compute(Encoding.UTF8.GetBytes($"weights{number}")))],
            AttestationPredicateTypes.Model,
            new JsonObject { ["model"] = $"m{number}", ["version"] = "1", ["trainer"] = "north", ["purpose"] = "research", ["inputs"] = new JsonArray(input) });
        return (statement, Sha256Digest.Compute(Encoding.UTF8.GetBytes($"envelope{number}")));
    }

    private static byte[] Entry(string type, JsonObject body) =>
        LogEntry.Create(type, s_time, JsonDocument.Parse(body.ToJsonString()).RootElement).CanonicalBytes.ToArray();

    private static string Digest(string text) => Sha256Digest.Compute(Encoding.UTF8.GetBytes(text)).ToString();
}
