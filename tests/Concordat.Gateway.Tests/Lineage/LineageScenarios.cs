using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Gateway.Transparency;
using Concordat.Lineage;
using Concordat.Log;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concordat.Gateway.Tests.Lineage;

/// <summary>
/// The lineage graph over real HTTP: the operator sees every egress a dataset version touched and where each came
/// from, and the models registered here; a recipient sees its own lineage only, and another's egress or model is "not
/// found"; <c>asOf</c> answers as of a signed checkpoint.
/// </summary>
public abstract class LineageScenarios : GatewayScenarios
{
    [Fact]
    public async Task Impact_OperatorAndRecipients_EachSeesWhatItMay()
    {
        await using var gateway = await StartAsync();
        var (north, south) = await TwoEgressAsync(gateway);

        var all = await ImpactAsync(gateway.Operator);
        var own = await ImpactAsync(north.Client);
        var other = await ImpactAsync(south.Client);

        Assert.Equal([north.DecisionId, south.DecisionId], Ids(all));
        Assert.Equal([HospitalRecipient, "southwind-labs"], all["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(72, all["agreements"]![0]!["breachNotificationHours"]!.GetValue<int>());
        Assert.Equal(20, all["datasetVersion"]!["rows"]!.GetValue<long>());
        Assert.Equal([north.DecisionId], Ids(own));
        Assert.Equal([HospitalRecipient], own["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal([south.DecisionId], Ids(other));
        Assert.Equal(all["treeSize"]!.GetValue<long>(), own["treeSize"]!.GetValue<long>());
    }

    [Fact]
    public async Task Impact_LogGrows_GraphReadsTheNewEntries()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var bearer = await TokenAsync(gateway, HospitalRecipient);
        var before = await ImpactAsync(gateway.Operator);

        var decisionId = await EgressAsync(bearer);
        await WaitForEntryAsync(gateway, "gateway.egress/v1", decisionId);
        var after = await ImpactAsync(gateway.Operator);

        Assert.Empty(Ids(before));
        Assert.Equal([decisionId], Ids(after));
        Assert.True(after["treeSize"]!.GetValue<long>() > before["treeSize"]!.GetValue<long>());
    }

    [Fact]
    public async Task Impact_EgressUnderAnAgreementSinceAmended_GivesTheContactsAndDeadlineItLeftUnder()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var bearer = await TokenAsync(gateway, HospitalRecipient);
        var decisionId = await EgressAsync(bearer);
        await WaitForEntryAsync(gateway, "gateway.egress/v1", decisionId);
        var amended = File.ReadAllText(TestGateway.SamplePath(Hospital))
            .Replace("\nversion: 1\n", "\nversion: 2\n", StringComparison.Ordinal)
            .Replace("breachNotificationHours: 72", "breachNotificationHours: 48", StringComparison.Ordinal);
        using var upload = await gateway.UploadAsync(amended, gateway.Sign(amended));
        Assert.True(upload.StatusCode == HttpStatusCode.Created, await upload.Content.ReadAsStringAsync());

        var impact = await ImpactAsync(gateway.Operator);

        var terms = Assert.Single(impact["agreements"]!.AsArray())!;
        Assert.Equal(1, terms["agreement"]!["version"]!.GetValue<int>());
        Assert.Equal(72, terms["breachNotificationHours"]!.GetValue<int>());
        Assert.Contains("northwind-research: security@northwind.example", terms["contacts"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public async Task Upstream_RecipientAsksForAnothersEgress_NotFound()
    {
        await using var gateway = await StartAsync();
        var (north, south) = await TwoEgressAsync(gateway);

        var tree = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/lineage/upstream?subject={south.DecisionId}"))!;
        var own = (await south.Client.GetFromJsonAsync<JsonObject>($"/v1/lineage/upstream?subject={south.DecisionId}"))!;
        using var other = await north.Client.GetAsync($"/v1/lineage/upstream?subject={south.DecisionId}");
        var version = (await north.Client.GetFromJsonAsync<JsonObject>($"/v1/lineage/upstream?subject={HospitalDataset}@1"))!;

        Assert.Equal("egress", tree["kind"]!.GetValue<string>());
        Assert.Contains(tree["facts"]!.AsArray(), f => f!["key"]!.GetValue<string>() == "recipient" && f["value"]!.GetValue<string>() == "southwind-labs");
        Assert.Equal($"{HospitalDataset}@1", tree["children"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(tree.ToJsonString(), own.ToJsonString());
        await AssertProblemAsync(other, HttpStatusCode.NotFound, "GW6014");
        Assert.Equal("dataset-version", version["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Impact_AsOfWhenTheStoreCannotSayWhetherTheCheckpointExists_Unavailable()
    {
        await using var gateway = await StartAsync(overrides: services => services.AddSingleton<ILogReader>(provider => new CheckpointCheckFails(provider.GetRequiredService<LogHost>())));
        await gateway.InstallSampleAsync(Hospital);

        using var asOf = await gateway.Operator.GetAsync($"/v1/lineage/impact?dataset={HospitalDataset}&version=1&asOf=1");
        using var now = await gateway.Operator.GetAsync($"/v1/lineage/impact?dataset={HospitalDataset}&version=1");

        await AssertProblemAsync(asOf, HttpStatusCode.ServiceUnavailable, "GW6301");
        Assert.Equal(HttpStatusCode.OK, now.StatusCode);
    }

    [Fact]
    public async Task Lineage_BadQueryOrNoCredentials_Refused()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var noVersion = await gateway.Operator.GetAsync($"/v1/lineage/impact?dataset={HospitalDataset}");
        using var badSubject = await gateway.Operator.GetAsync("/v1/lineage/upstream?subject=..%2Fetc");
        using var anonymous = await gateway.Anonymous.GetAsync($"/v1/lineage/impact?dataset={HospitalDataset}&version=1");
        using var unknown = await gateway.Operator.GetAsync("/v1/lineage/upstream?subject=dec_none");

        await AssertProblemAsync(noVersion, HttpStatusCode.BadRequest, "GW6300");
        await AssertProblemAsync(badSubject, HttpStatusCode.BadRequest, "GW6300");
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "GW6001");
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "GW6014");
        await AssertRefusalLoggedAsync(gateway, "GW6300");
    }

    [Fact]
    public async Task Impact_ModelsRegisteredHere_EqualsTheLibraryRebuiltFromTheExportedLog()
    {
        await using var gateway = await StartAsync();
        var (north, south) = await TwoEgressAsync(gateway);
        await RegisterModelAsync(gateway, "triage", "egress", north.DecisionId);
        await RegisterModelAsync(gateway, "triage-distilled", "model", "triage@1.0");
        await RegisterModelAsync(gateway, "triage-south", "egress", south.DecisionId);

        var (treeSize, library) = await RebuildFromExportAsync(gateway);
        var impact = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/lineage/impact?dataset={HospitalDataset}&version=1&asOf={treeSize}"))!;
        var upstream = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/lineage/upstream?subject=triage-distilled@1.0&asOf={treeSize}"))!;
        var show = (await gateway.Operator.GetFromJsonAsync<JsonObject>($"/v1/lineage/show?subject=triage-distilled@1.0&asOf={treeSize}"))!;

        var agreement = Concordat.Agreements.AgreementReader.Read(TwoRecipientHospital(), "x.yaml").Agreement!;
        var expected = library.Impact(HospitalDataset, 1, [agreement]);
        Assert.Equal(["triage-distilled@1.0", "triage-south@1.0", "triage@1.0"], expected.Models.Select(m => m.Model.Name).Order(StringComparer.Ordinal));
        Assert.Equal("triage@1.0", expected.Models.Single(m => m.Model.Name == "triage-distilled@1.0").Via);
        Assert.True(JsonNode.DeepEquals(ToJson(gateway, expected), impact), impact.ToJsonString());
        Assert.True(JsonNode.DeepEquals(ToJson(gateway, library.Upstream("triage-distilled@1.0")!), upstream), upstream.ToJsonString());
        Assert.True(JsonNode.DeepEquals(upstream, show), show.ToJsonString());
    }

    [Fact]
    public async Task Impact_AsOfBeforeAndAfterANewEgress_AnswersAsOfEachCheckpoint()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var bearer = await TokenAsync(gateway, HospitalRecipient);
        var first = await EgressAsync(bearer);
        await WaitForEntryAsync(gateway, "gateway.attestation/v1", first);
        var before = await CheckpointAsync(gateway);
        var second = await EgressAsync(bearer);
        await WaitForEntryAsync(gateway, "gateway.attestation/v1", second);
        await RegisterModelAsync(gateway, "triage", "egress", second);
        var after = await CheckpointAsync(gateway);

        var asOfBefore = await ImpactAsync(gateway.Operator, before);
        var asOfAfter = await ImpactAsync(gateway.Operator, after);
        using var modelBefore = await gateway.Operator.GetAsync($"/v1/lineage/show?subject=triage@1.0&asOf={before}");
        using var modelAfter = await gateway.Operator.GetAsync($"/v1/lineage/show?subject=triage@1.0&asOf={after}");
        using var future = await gateway.Operator.GetAsync($"/v1/lineage/impact?dataset={HospitalDataset}&version=1&asOf={after + 1000}");
        using var negative = await gateway.Operator.GetAsync($"/v1/lineage/upstream?subject={first}&asOf=-1");

        Assert.Equal([first], Ids(asOfBefore));
        Assert.Empty(asOfBefore["models"]!.AsArray());
        Assert.Equal(before, asOfBefore["treeSize"]!.GetValue<long>());
        Assert.Equal([first, second], Ids(asOfAfter));
        Assert.Equal("triage@1.0", asOfAfter["models"]![0]!["model"]!["name"]!.GetValue<string>());
        Assert.Equal(after, asOfAfter["treeSize"]!.GetValue<long>());
        await AssertProblemAsync(modelBefore, HttpStatusCode.NotFound, "GW6014");
        Assert.Equal(HttpStatusCode.OK, modelAfter.StatusCode);
        await AssertProblemAsync(future, HttpStatusCode.BadRequest, "GW6300");
        await AssertProblemAsync(negative, HttpStatusCode.BadRequest, "GW6300");
    }

    [Fact]
    public async Task Impact_ModelEnvelopeReplacedInTheWorkspace_NotTrustedEvenWhenSignedWithTheGatewaysKey()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var bearer = await TokenAsync(gateway, HospitalRecipient);
        var decisionId = await EgressAsync(bearer);
        await WaitForEntryAsync(gateway, "gateway.attestation/v1", decisionId);
        await RegisterModelAsync(gateway, "triage", "egress", decisionId);
        var path = Path.Combine(gateway.Workspace, "attestations", "models", "triage", "1.0.json");
        Assert.True(DsseEnvelope.TryParse(await File.ReadAllBytesAsync(path), out var envelope, out _));
        Assert.True(InTotoStatement.TryParse(envelope.Payload.Span, out var statement, out _));
        Assert.True(NoteKey.TryParseSignerKey((await File.ReadAllTextAsync(Path.Combine(gateway.Workspace, "log.key"))).Trim(), out var key, out var error), error);
        statement.Predicate["purpose"] = "evaluation";
        await File.WriteAllBytesAsync(path, Attestation.Sign(statement, key).ToJson());

        var impact = await ImpactAsync(gateway.Operator);
        using var upstream = await gateway.Operator.GetAsync("/v1/lineage/upstream?subject=triage@1.0");

        Assert.Equal([decisionId], Ids(impact));
        Assert.Empty(impact["models"]!.AsArray());
        await AssertProblemAsync(upstream, HttpStatusCode.NotFound, "GW6014");
    }

    [Fact]
    public async Task Lineage_Recipient_NeverSeesAnothersEgressOrModelsNowOrAsOf()
    {
        await using var gateway = await StartAsync();
        var (north, south) = await TwoEgressAsync(gateway);
        await RegisterModelAsync(gateway, "north-model", "egress", north.DecisionId);
        await RegisterModelAsync(gateway, "south-model", "egress", south.DecisionId);
        var treeSize = await CheckpointAsync(gateway);

        var now = await ImpactAsync(north.Client);
        var asOf = await ImpactAsync(north.Client, treeSize);
        using var southModel = await north.Client.GetAsync("/v1/lineage/upstream?subject=south-model@1.0");
        using var southModelAsOf = await north.Client.GetAsync($"/v1/lineage/upstream?subject=south-model@1.0&asOf={treeSize}");
        using var southEgressAsOf = await north.Client.GetAsync($"/v1/lineage/upstream?subject={south.DecisionId}&asOf={treeSize}");
        var ownModel = (await north.Client.GetFromJsonAsync<JsonObject>($"/v1/lineage/upstream?subject=north-model@1.0&asOf={treeSize}"))!;

        foreach (var impact in new[] { now, asOf })
        {
            Assert.Equal([north.DecisionId], Ids(impact));
            Assert.Equal(["north-model@1.0"], impact["models"]!.AsArray().Select(m => m!["model"]!["name"]!.GetValue<string>()));
            Assert.DoesNotContain(south.DecisionId, impact.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("south-model", impact.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal([HospitalRecipient], impact["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
        }

        await AssertProblemAsync(southModel, HttpStatusCode.NotFound, "GW6014");
        await AssertProblemAsync(southModelAsOf, HttpStatusCode.NotFound, "GW6014");
        await AssertProblemAsync(southEgressAsOf, HttpStatusCode.NotFound, "GW6014");
        Assert.Equal(north.DecisionId, ownModel["children"]![0]!["name"]!.GetValue<string>());
    }

    // Registers `name@1.0`, trained by the hospital's recipient for research on one input, as the operator.
    private static async Task RegisterModelAsync(TestGateway gateway, string name, string kind, string id)
    {
        var weights = Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes(name)).ToString();
        var body = new { name, version = "1.0", checkpoints = new[] { new { name = "model.bin", sha256 = weights } }, trainingConfig = "sha256:" + new string('a', 64), inputs = new[] { new { kind, id } }, trainer = HospitalRecipient, purpose = "research" };
        using var response = await gateway.Operator.PostAsJsonAsync("/v1/models", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    // Signs a checkpoint of the log as it is now and returns its tree size.
    private static async Task<long> CheckpointAsync(TestGateway gateway)
    {
        var note = await gateway.Anonymous.GetStringAsync("/v1/log/checkpoint");
        return long.Parse(note.Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    // The library's graph, as `concordat lineage --log EXPORT --model ...` builds it: from the log exported and verified
    // whole, and the models' envelopes as the gateway serves them, verified with its attestation key.
    private static async Task<(long TreeSize, LineageGraph Graph)> RebuildFromExportAsync(TestGateway gateway)
    {
        await CheckpointAsync(gateway);
        using var export = new MemoryStream();
        var written = await LogExport.WriteAsync(gateway.Services.GetRequiredService<LogHost>().OpenStorage, export, null, CancellationToken.None);
        Assert.True(written.Problem is null, written.Problem?.Message);
        Assert.True(NoteKey.TryParseVerifierKey(File.ReadAllText(Path.Combine(gateway.Workspace, "log.pub")).Trim(), out var logKey, out _));
        export.Position = 0;
        Assert.True((await LogExportVerifier.VerifyAsync(export, logKey, CancellationToken.None)).IsValid);
        export.Position = 0;
        var builder = new LineageGraphBuilder();
        var treeSize = 0L;
        await foreach (var (index, entry) in LogExportEntries.ReadAsync(export, CancellationToken.None))
        {
            builder.Add(index, entry);
            treeSize = index + 1;
        }

        var trusted = new[] { DsseVerifierKey.FromNoteKey(logKey) };
        foreach (var model in (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/models"))!)
        {
            var envelope = await gateway.Operator.GetByteArrayAsync($"/v1/attestations/models/{model!["id"]!.GetValue<string>()}");
            var verified = Attestation.Verify(envelope, trusted, AttestationPredicateTypes.Model);
            Assert.True(verified.IsVerified, verified.Error?.ToString());
            builder.AddModel(verified.Statement!, Sha256Digest.Compute(envelope));
        }

        return (treeSize, builder.Build());
    }

    private static JsonNode? ToJson<T>(TestGateway gateway, T value) =>
        JsonSerializer.SerializeToNode(value, gateway.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);

    private static async Task<((HttpClient Client, string DecisionId) North, (HttpClient Client, string DecisionId) South)> TwoEgressAsync(TestGateway gateway)
    {
        var yaml = TwoRecipientHospital();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var dataset = Concordat.Agreements.AgreementReader.Read(yaml, "x.yaml").Agreement!.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 20, "research", "DE"))).StatusCode);
        var north = await TokenAsync(gateway, HospitalRecipient);
        var south = await TokenAsync(gateway, "southwind-labs");
        var northId = await EgressAsync(north);
        var southId = await EgressAsync(south);
        await WaitForEntryAsync(gateway, "gateway.egress/v1", southId);
        await WaitForEntryAsync(gateway, "gateway.egress/v1", northId);
        return ((north, northId), (south, southId));
    }

    private protected static async Task<string> EgressAsync(HttpClient bearer)
    {
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        await rows.Content.ReadAsByteArrayAsync();
        return rows.Headers.GetValues("Concordat-Decision-Id").Single();
    }

    private protected static async Task<JsonObject> ImpactAsync(HttpClient client, long? asOf = null) =>
        (await client.GetFromJsonAsync<JsonObject>($"/v1/lineage/impact?dataset={HospitalDataset}&version=1{(asOf is null ? string.Empty : $"&asOf={asOf}")}"))!;

    private protected static string[] Ids(JsonObject impact) => [.. impact["egress"]!.AsArray().Select(e => e!["decisionId"]!.GetValue<string>())];
}

/// <summary>The gateway's log, except that the store fails whenever it is asked whether a checkpoint was signed.</summary>
internal sealed class CheckpointCheckFails(ILogReader log) : ILogReader
{
    public Task<bool> IsCheckpointAsync(long treeSize, CancellationToken cancellationToken) => throw new IOException("the store is down");

    public Task<LogCheckpoint> ReadCheckpointAsync(CancellationToken cancellationToken) => log.ReadCheckpointAsync(cancellationToken);

    public Task<long> ReadTreeSizeAsync(CancellationToken cancellationToken) => log.ReadTreeSizeAsync(cancellationToken);

    public Task<IReadOnlyList<(long Index, byte[] Entry)>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) => log.ReadEntriesAsync(start, count, cancellationToken);

    public Task<IReadOnlyList<byte[]>> ProveInclusionAsync(long index, long treeSize, CancellationToken cancellationToken) => log.ProveInclusionAsync(index, treeSize, cancellationToken);

    public Task<byte[]?> ReadTileAsync(Concordat.Tiles.TileAddress tile, CancellationToken cancellationToken) => log.ReadTileAsync(tile, cancellationToken);

    public Task<IReadOnlyList<byte[]>> ProveConsistencyAsync(long first, long second, CancellationToken cancellationToken) => log.ProveConsistencyAsync(first, second, cancellationToken);
}
