using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Lineage;
using Concordat.Log;

namespace Concordat.Tests.Lineage;

/// <summary>
/// The lineage graph as one recipient may see it: its own egress, and the models trained through them; another
/// recipient's egress never named.
/// </summary>
public sealed class LineageGraphTests
{
    private static readonly DateTimeOffset s_time = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void Impact_Recipient_SeesItsOwnEgressAndModelsTrainedThroughThem()
    {
        var graph = CreateSut();

        var operatorView = graph.Impact("records", 1, [], recipient: null);
        var north = graph.Impact("records", 1, [], "north");
        var south = graph.Impact("records", 1, [], "south");

        Assert.Equal(["dec_n", "dec_s"], operatorView.Egress.Select(e => e.DecisionId));
        Assert.Equal(["joint", "provider-model", "downstream"], operatorView.Models.Select(m => m.Model.Name));
        Assert.Equal(["dec_n"], north.Egress.Select(e => e.DecisionId));
        Assert.Equal(["joint", "downstream"], north.Models.Select(m => m.Model.Name));
        Assert.Equal(["egress", "withheld"], north.Models[0].Model.Inputs.Select(i => i.Kind));
        Assert.DoesNotContain("dec_s", JsonSerializer.Serialize(north));
        Assert.Equal(["dec_s"], south.Egress.Select(e => e.DecisionId));
    }

    [Fact]
    public void Impact_RecipientWithoutEgress_LearnsNothingOfTheVersion()
    {
        var impact = CreateSut().Impact("records", 1, [], "west");

        Assert.Null(impact.DatasetVersion);
        Assert.Empty(impact.Egress);
        Assert.Empty(impact.Models);
    }

    [Fact]
    public void Upstream_Recipient_AnothersEgressWithheldAndNotASubject()
    {
        var graph = CreateSut();

        var tree = graph.Upstream("joint", "north")!;
        var operatorTree = graph.Upstream("joint")!;

        Assert.Equal(["egress", "withheld"], tree.Children.Select(c => c.Kind));
        Assert.Equal(["dec_n", "dec_s"], operatorTree.Children.Select(c => c.Name));
        Assert.Null(graph.Upstream("dec_s", "north"));
        Assert.Null(graph.Upstream("provider-model", "north"));
        Assert.Equal("records@1", graph.Upstream("dec_n", "north")!.Children.Single().Name);
        Assert.Null(graph.Upstream("records@1", "west"));
    }

    [Fact]
    public void Build_GatewayModel_OnlyWithTheEnvelopeItsLogEntryRecordsAndBelowTheTreeSize()
    {
        var builder = new LineageGraphBuilder();
        var index = 0L;
        void Add(string type, JsonObject body) => builder.Add(index++, LogEntry.Create(type, s_time, JsonDocument.Parse(body.ToJsonString()).RootElement));
        Add("gateway.dataset-import/v1", new JsonObject { ["dataset"] = "records", ["version"] = 1, ["manifest"] = "sha256:00", ["rows"] = 20 });
        var beforeModel = index;
        Add("gateway.attestation/v1", new JsonObject { ["kind"] = "model", ["model"] = "triage@1.0", ["envelope"] = Digest("envelope") });
        var model = Model("triage", "w1", Input(AttestationPredicateTypes.DatasetVersion, "records@1/manifest.json"));
        model.Predicate["version"] = "1.0";

        var unlogged = Model("other", "w2", Input(AttestationPredicateTypes.DatasetVersion, "records@1/manifest.json"));
        unlogged.Predicate["version"] = "2.0";

        builder.AddModel(model, Sha256Digest.Compute("envelope"u8));
        builder.AddModel(unlogged, Sha256Digest.Compute("not logged"u8));
        builder.AddModel(model with { Predicate = new JsonObject { ["model"] = "triage", ["version"] = "1.0", ["inputs"] = new JsonArray() } }, Sha256Digest.Compute("tampered"u8));

        Assert.Equal(["triage@1.0"], builder.LoggedModels);
        Assert.Equal(["triage@1.0"], builder.Build().Models.Select(m => m.Name));
        Assert.Empty(builder.Build(beforeModel).Models);
        Assert.Equal(beforeModel, builder.Build(beforeModel).TreeSize);
        Assert.Equal(["triage@1.0"], builder.Build().Impact("records", 1, []).Models.Select(m => m.Model.Name));
    }

    [Fact]
    public void Build_AsOfATreeSize_LeavesOutLaterEgressAndImports()
    {
        var builder = new LineageGraphBuilder();
        var index = 0L;
        void Add(string type, JsonObject body) => builder.Add(index++, LogEntry.Create(type, s_time, JsonDocument.Parse(body.ToJsonString()).RootElement));
        Add("gateway.dataset-import/v1", new JsonObject { ["dataset"] = "records", ["version"] = 1, ["manifest"] = "sha256:00", ["rows"] = 20 });
        Add("gateway.egress/v1", new JsonObject { ["decisionId"] = "dec_1", ["dataset"] = "records", ["datasetVersion"] = 1, ["recipient"] = "north", ["tokenId"] = "tok_1", ["rows"] = 10, ["completed"] = true });
        var asOf = index;
        Add("gateway.egress/v1", new JsonObject { ["decisionId"] = "dec_2", ["dataset"] = "records", ["datasetVersion"] = 1, ["recipient"] = "north", ["tokenId"] = "tok_1", ["rows"] = 10, ["completed"] = true });
        Add("gateway.dataset-import/v1", new JsonObject { ["dataset"] = "records", ["version"] = 2, ["manifest"] = "sha256:01", ["rows"] = 20 });

        var then = builder.Build(asOf);
        var now = builder.Build();

        Assert.Equal(["dec_1"], then.Egress.Select(e => e.DecisionId));
        Assert.Equal(["dec_1", "dec_2"], now.Egress.Select(e => e.DecisionId));
        Assert.Null(then.Upstream("records@2"));
        Assert.NotNull(now.Upstream("records@2"));
    }

    [Fact]
    public void Build_AsOfBetweenTwoEntriesOfOneEgress_KeepsTheEgressAsItWasThen()
    {
        var builder = new LineageGraphBuilder();
        var index = 0L;
        void Add(string type, JsonObject body) => builder.Add(index++, LogEntry.Create(type, s_time, JsonDocument.Parse(body.ToJsonString()).RootElement));
        Add("gateway.dataset-import/v1", new JsonObject { ["dataset"] = "records", ["version"] = 1, ["manifest"] = "sha256:00", ["rows"] = 20 });
        Add("gateway.egress/v1", new JsonObject { ["decisionId"] = "dec_1", ["dataset"] = "records", ["datasetVersion"] = 1, ["recipient"] = "north", ["tokenId"] = "tok_1", ["rows"] = 4, ["completed"] = true });
        var asOf = index;
        Add("gateway.egress/v1", new JsonObject { ["decisionId"] = "dec_1", ["dataset"] = "records", ["datasetVersion"] = 1, ["recipient"] = "north", ["tokenId"] = "tok_1", ["rows"] = 6, ["completed"] = true });

        var then = builder.Build(asOf);
        var now = builder.Build();

        Assert.Equal([(1L, 4L)], then.Egress.Select(e => (e.LogIndex, e.Rows)));
        Assert.Equal([(2L, 6L)], now.Egress.Select(e => (e.LogIndex, e.Rows)));
        Assert.Empty(builder.Build(1).Egress);
    }

    // A version, two egress (north, south), a model on both, a model on the version itself, a model on the first model.
    private static LineageGraph CreateSut()
    {
        var builder = new LineageGraphBuilder();
        var index = 0L;
        void Add(string type, JsonObject body) => builder.Add(index++, LogEntry.Create(type, s_time, JsonDocument.Parse(body.ToJsonString()).RootElement));
        Add("gateway.dataset-import/v1", new JsonObject { ["dataset"] = "records", ["version"] = 1, ["manifest"] = "sha256:00", ["rows"] = 20 });
        foreach (var (decision, recipient) in new[] { ("dec_n", "north"), ("dec_s", "south") })
        {
            Add("gateway.decision/v1", new JsonObject { ["effect"] = "permit", ["datasetVersion"] = 1, ["decisionId"] = decision, ["agreement"] = "a", ["agreementDigest"] = "sha256:aa", ["purpose"] = "research" });
            Add("gateway.egress/v1", new JsonObject { ["decisionId"] = decision, ["dataset"] = "records", ["datasetVersion"] = 1, ["recipient"] = recipient, ["tokenId"] = "tok_" + recipient, ["rows"] = 10, ["completed"] = true });
        }

        builder.AddModel(Model("joint", "w1", Input(AttestationPredicateTypes.Egress, "egress/dec_n.csv"), Input(AttestationPredicateTypes.Egress, "egress/dec_s.csv")));
        builder.AddModel(Model("provider-model", "w2", Input(AttestationPredicateTypes.DatasetVersion, "records@1/manifest.json")));
        builder.AddModel(Model("downstream", "w3", Input(AttestationPredicateTypes.Model, "model.bin", Digest("w1"))));
        return builder.Build();
    }

    private static InTotoStatement Model(string name, string weights, params JsonObject[] inputs) => new(
        [AttestationSubject.FromSha256("model.bin", Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes(weights)))],
        AttestationPredicateTypes.Model,
        new JsonObject { ["model"] = name, ["trainer"] = "north", ["purpose"] = "research", ["inputs"] = new JsonArray([.. inputs]) });

    private static JsonObject Input(string predicateType, string subject, string? sha256 = null) =>
        new() { ["predicateType"] = predicateType, ["subjects"] = new JsonArray(new JsonObject { ["name"] = subject, ["sha256"] = sha256 ?? Digest(subject) }) };

    private static string Digest(string text) => Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes(text)).ToString();
}
