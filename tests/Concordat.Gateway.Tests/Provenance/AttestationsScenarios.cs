using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Crypto;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Lineage;
using Concordat.Log;
using Concordat.Testing;
using Concordat.Testing.Peers;
using Json.Schema;

namespace Concordat.Gateway.Tests.Provenance;

/// <summary>
/// The gateway's attestations over real HTTP: a signed dataset version at every import and at the first start after
/// upgrade, a signed egress per egress, each logged, served to whom may read it, and verified by code nobody here wrote.
/// </summary>
public abstract class AttestationsScenarios : GatewayScenarios
{
    private static readonly TimeSpan s_peerTimeout = TimeSpan.FromSeconds(30);

    // Built once per run: the schema's `$id` names it, and both engines' scenarios validate against the one copy.
    private static readonly Lazy<JsonSchema> s_openLineage = new(() =>
        JsonSchema.FromFile(Path.Combine(RepositoryRoot.Find(), "tests", "vendor", "openlineage", "OpenLineage.json"), new BuildOptions(), new Uri("https://openlineage.io/spec/2-0-2/OpenLineage.json")));

    [Fact]
    public async Task Import_SignsDatasetVersion_LoggedAndVerifiedByNodeCrypto()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        var list = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/attestations"))!;
        var (envelope, statement, key) = await ReadVerifiedAsync(gateway, gateway.Operator, $"/v1/attestations/dataset-versions/{HospitalDataset}/1", AttestationPredicateTypes.DatasetVersion);

        Assert.Contains(list, l => l!["kind"]!.GetValue<string>() == "dataset-version" && l["id"]!.GetValue<string>() == $"{HospitalDataset}@1");
        Assert.Equal(HospitalDataset, statement.Predicate["dataset"]!.GetValue<string>());
        Assert.Equal(20, statement.Predicate["rowCount"]!.GetValue<long>());
        Assert.Equal("operator", statement.Predicate["importer"]!.GetValue<string>());
        Assert.Equal("restricted", statement.Predicate["tags"]!["sensitivity"]!.GetValue<string>());
        Assert.Equal("background", statement.Predicate["ip"]!["category"]!.GetValue<string>());
        Assert.Equal(["st-aurelia"], statement.Predicate["ip"]!["owners"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal("hospital-research", statement.Predicate["ip"]!["terms"]![0]!["agreement"]!.GetValue<string>());
        Assert.Equal($"{HospitalDataset}@1/manifest.json", statement.Subjects[0].Name);
        var entry = (await gateway.LogEntriesAsync()).Single(e => e["type"]!.GetValue<string>() == "gateway.attestation/v1");
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(envelope)), entry["body"]!["envelope"]!.GetValue<string>());
        Assert.Equal(Attestation.KeyIdOf(key), entry["body"]!["keyId"]!.GetValue<string>());
        Assert.Equal("verified", VerifyWithNode(envelope, key));
        var tampered = JsonNode.Parse(envelope)!;
        tampered["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Convert.FromBase64String(tampered["payload"]!.GetValue<string>())).Replace("\"rowCount\":20", "\"rowCount\":21", StringComparison.Ordinal)));
        Assert.Equal("rejected", VerifyWithNode(Encoding.UTF8.GetBytes(tampered.ToJsonString()), key));
    }

    [Fact]
    public async Task Egress_SignsReceiptOfExactBytes_RecipientSeesOnlyItsOwn()
    {
        await using var gateway = await StartAsync();
        var (northwind, southwind, bytes, decisionId) = await TwoRecipientsOneEgressAsync(gateway);
        using var disposeNorthwind = northwind;
        using var disposeSouthwind = southwind;

        var (_, statement, _) = await ReadVerifiedAsync(gateway, northwind, $"/v1/attestations/egress/{decisionId}", AttestationPredicateTypes.Egress);
        using var other = await southwind.GetAsync($"/v1/attestations/egress/{decisionId}");
        var ownList = (await northwind.GetFromJsonAsync<JsonArray>("/v1/attestations"))!;
        var otherList = (await southwind.GetFromJsonAsync<JsonArray>("/v1/attestations"))!;
        using var anonymous = await gateway.Anonymous.GetAsync("/v1/attestations");

        Assert.Null(Attestation.CheckSubjects(statement, [AttestationSubject.FromSha256($"egress/{decisionId}.csv", Concordat.Core.Sha256Digest.Compute(bytes))]));
        Assert.Equal(bytes.Length, statement.Predicate["bytes"]!.GetValue<long>());
        Assert.Equal("research", statement.Predicate["purpose"]!.GetValue<string>());
        Assert.Contains(statement.Predicate["obligations"]!.AsArray(), o => o!.GetValue<string>() == "field `patient_id`: pseudonymise");
        Assert.StartsWith("sha256:", statement.Predicate["agreementDigest"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertProblemAsync(other, HttpStatusCode.NotFound, "GW6014");
        Assert.Equal(decisionId, Assert.Single(ownList)!["id"]!.GetValue<string>());
        Assert.Empty(otherList);
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "GW6001");
    }

    [Fact]
    public async Task DeletionAttestation_Accepted_ServedAsPostedToItsRecipientAndTheOperatorOnly()
    {
        await using var gateway = await StartAsync();
        var (northwind, southwind, bytes, decisionId) = await TwoRecipientsOneEgressAsync(gateway);
        using var disposeNorthwind = northwind;
        using var disposeSouthwind = southwind;
        await Eventually.HoldsAsync(async () => (await northwind.GetAsync($"/v1/attestations/egress/{decisionId}")).IsSuccessStatusCode, "the egress is attested");
        var deletion = Attestation.Sign(Concordat.Retention.DeletionAttestation.Statement(new Concordat.Retention.DeletionClaim(
            new Concordat.Agreements.PartyId(HospitalRecipient), gateway.Clock.GetUtcNow(), [new Concordat.Retention.DeletedEgress(new Concordat.Decisions.DecisionId(decisionId), Concordat.Core.Sha256Digest.Compute(bytes))])), gateway.SignerKey(HospitalRecipient)).ToJson();
        using var posted = await northwind.PostAsync("/v1/retention/attestations", new ByteArrayContent(deletion) { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") } });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var hex = Convert.ToHexStringLower(SHA256.HashData(deletion));

        using var own = await northwind.GetAsync($"/v1/attestations/deletions/{HospitalRecipient}/{hex}");
        using var byOperator = await gateway.Operator.GetAsync($"/v1/attestations/deletions/{HospitalRecipient}/{hex}");
        using var other = await southwind.GetAsync($"/v1/attestations/deletions/{HospitalRecipient}/{hex}");
        var ownList = (await northwind.GetFromJsonAsync<JsonArray>("/v1/attestations"))!;
        var otherList = (await southwind.GetFromJsonAsync<JsonArray>("/v1/attestations"))!;

        Assert.Equal(deletion, await own.Content.ReadAsByteArrayAsync());
        Assert.Equal(deletion, await byOperator.Content.ReadAsByteArrayAsync());
        await AssertProblemAsync(other, HttpStatusCode.NotFound, "GW6014");
        Assert.Contains(ownList, l => l!["kind"]!.GetValue<string>() == "deletion" && l["url"]!.GetValue<string>() == $"/v1/attestations/deletions/{HospitalRecipient}/{hex}");
        Assert.DoesNotContain(otherList, l => l!["kind"]!.GetValue<string>() == "deletion");
    }

    [Fact]
    public async Task Start_VersionsWithoutAttestation_AttestedInTheBackgroundAsUpgrade()
    {
        var workspace = Directory.CreateTempSubdirectory("concordat-gw-").FullName;
        var store = await StoreAsync();
        try
        {
            await using (var first = await TestGateway.StartAsync(store, workspace: workspace))
            {
                await first.InstallSampleAsync(Hospital);
            }

            // As a workspace written before attestations existed: the versions are stored, their envelopes are not.
            Directory.Delete(Path.Combine(workspace, "attestations"), recursive: true);
            await using var second = await TestGateway.StartAsync(store, workspace: workspace);

            await Eventually.HoldsAsync(
                async () =>
                {
                    using var response = await second.Operator.GetAsync($"/v1/attestations/dataset-versions/{HospitalDataset}/1");
                    return response.IsSuccessStatusCode;
                },
                "the stored version is attested");
            var (_, statement, _) = await ReadVerifiedAsync(second, second.Operator, $"/v1/attestations/dataset-versions/{HospitalDataset}/1", AttestationPredicateTypes.DatasetVersion);

            Assert.Equal("upgrade", statement.Predicate["importer"]!.GetValue<string>());
            Assert.Equal(2, (await second.LogEntriesAsync()).Count(e => e["type"]!.GetValue<string>() == "gateway.attestation/v1"));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public async Task Lineage_FromTheGatewaysLog_ImpactNamesEveryEgressItsTermsAndTheModelTrainedOnIt()
    {
        await using var gateway = await StartAsync();
        var agreement = await gateway.InstallSampleAsync(Hospital);
        using var bearer = await TokenAsync(gateway, HospitalRecipient);
        var decisions = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
            await rows.Content.ReadAsByteArrayAsync();
            decisions.Add(rows.Headers.GetValues("Concordat-Decision-Id").Single());
        }

        var (_, egress, _) = await ReadVerifiedAsync(gateway, gateway.Operator, $"/v1/attestations/egress/{decisions[0]}", AttestationPredicateTypes.Egress);
        var builder = new LineageGraphBuilder();
        foreach (var page in await gateway.LogEntriesAsync())
        {
            Assert.True(LogEntry.TryParse(Convert.FromBase64String(page["bytes"]!.GetValue<string>()), out var entry, out var error), error);
            builder.Add(page["index"]!.GetValue<long>(), entry);
        }

        var model = new InTotoStatement(
            [AttestationSubject.FromSha256("model.bin", Concordat.Core.Sha256Digest.Compute("weights"u8))],
            AttestationPredicateTypes.Model,
            new JsonObject { ["model"] = "triage-v1", ["trainer"] = HospitalRecipient, ["purpose"] = "research", ["inputs"] = new JsonArray(new JsonObject { ["predicateType"] = egress.PredicateType, ["subjects"] = new JsonArray(new JsonObject { ["name"] = egress.Subjects[0].Name, ["sha256"] = egress.Subjects[0].Sha256.ToString() }) }) });
        Assert.True(builder.AddModel(model));

        var impact = builder.Build().Impact(HospitalDataset, 1, [agreement]);

        Assert.Equal(decisions, impact.Egress.Select(e => e.DecisionId));
        Assert.All(impact.Egress, e => Assert.Equal(Concordat.Agreements.AgreementDigest.Compute(agreement).ToString(), e.AgreementDigest));
        Assert.All(impact.Egress, e => Assert.Equal("research", e.Purpose));
        Assert.Equal([HospitalRecipient], impact.Recipients);
        Assert.Equal(72, Assert.Single(impact.Agreements).BreachNotificationHours);
        Assert.Equal(decisions[0], Assert.Single(impact.Models).Via);
        Assert.NotNull(impact.DatasetVersion);
        var schema = s_openLineage.Value;
        var events = LineageOpenLineage.RunEvents(impact);
        Assert.Equal(3, events.Count);
        foreach (var runEvent in events)
        {
            var result = schema.Evaluate(JsonDocument.Parse(runEvent.ToJsonString()).RootElement, new EvaluationOptions { RequireFormatValidation = true, OutputFormat = OutputFormat.List });
            Assert.True(result.IsValid, runEvent.ToJsonString());
        }

        Assert.Equal("egress/" + decisions[0], events[2]["inputs"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task RegisterModel_OverHttp_ChecksInputsSignsLogsAndServesIt()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var bearer = await TokenAsync(gateway, HospitalRecipient);
        var decisionId = await AttestedEgressAsync(gateway, bearer);
        var weights = ModelWeights;
        var body = new { name = "triage", version = "1.0", checkpoints = new[] { new { name = "model.bin", sha256 = weights } }, trainingConfig = "sha256:" + new string('a', 64), inputs = new[] { new { kind = "egress", id = decisionId } }, trainer = HospitalRecipient, purpose = "research" };

        using var registered = await gateway.Operator.PostAsJsonAsync("/v1/models", body);
        using var again = await gateway.Operator.PostAsJsonAsync("/v1/models", body);
        using var refused = await gateway.Operator.PostAsJsonAsync("/v1/models", body with { version = "2.0", purpose = "marketing" });
        using var unknownInput = await gateway.Operator.PostAsJsonAsync("/v1/models", body with { version = "3.0", inputs = new[] { new { kind = "egress", id = "dec_000000000000000000000000" } } });
        using var byRecipient = await bearer.PostAsJsonAsync("/v1/models", body with { version = "4.0" });
        var (envelope, statement, _) = await ReadVerifiedAsync(gateway, gateway.Operator, "/v1/attestations/models/triage@1.0", AttestationPredicateTypes.Model);
        var model = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/models/triage@1.0"))!;
        var list = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/models"))!;

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "GW6304");
        await AssertProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "GW6303");
        await AssertProblemAsync(unknownInput, HttpStatusCode.UnprocessableEntity, "GW6302");
        Assert.Equal(HttpStatusCode.Forbidden, byRecipient.StatusCode);
        Assert.Equal("triage", statement.Predicate["model"]!.GetValue<string>());
        Assert.Equal("1.0", statement.Predicate["version"]!.GetValue<string>());
        Assert.Equal(weights, statement.Subjects[0].Sha256.ToString());
        Assert.Equal(AttestationPredicateTypes.Egress, statement.Predicate["inputs"]![0]!["predicateType"]!.GetValue<string>());
        Assert.Equal("research", model["purpose"]!.GetValue<string>());
        Assert.Equal("triage@1.0", Assert.Single(list)!["id"]!.GetValue<string>());
        var entry = (await gateway.LogEntriesAsync()).Last(e => e["type"]!.GetValue<string>() == "gateway.attestation/v1");
        Assert.Equal("model", entry["body"]!["kind"]!.GetValue<string>());
        Assert.Equal("triage@1.0", entry["body"]!["model"]!.GetValue<string>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(envelope)), entry["body"]!["envelope"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadKey_Anonymous_ReturnsTheLogKeyWhenNoProviderKey()
    {
        await using var gateway = await StartAsync();

        var key = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/v1/attestations/key"))!;

        Assert.Equal("log", key["source"]!.GetValue<string>());
        Assert.Equal(File.ReadAllText(Path.Combine(gateway.Workspace, "log.pub")).Trim(), key["verifierKey"]!.GetValue<string>());
    }

    /// <summary>The digest of the test model's one checkpoint.</summary>
    private protected static string ModelWeights => "sha256:" + Convert.ToHexStringLower(SHA256.HashData("weights"u8));

    /// <summary>Reads the hospital dataset's rows with <paramref name="bearer"/> and returns the egress's decision id, once its attestation is served (a model's input).</summary>
    private protected static async Task<string> AttestedEgressAsync(TestGateway gateway, HttpClient bearer)
    {
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        await rows.Content.ReadAsByteArrayAsync();
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
        await ReadVerifiedAsync(gateway, gateway.Operator, $"/v1/attestations/egress/{decisionId}", AttestationPredicateTypes.Egress);
        return decisionId;
    }

    // The hospital agreement with a second recipient, a version imported, a token for each, and one egress to the first.
    private static async Task<(HttpClient Northwind, HttpClient Southwind, byte[] Bytes, string DecisionId)> TwoRecipientsOneEgressAsync(TestGateway gateway)
    {
        var yaml = TwoRecipientHospital();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var dataset = Concordat.Agreements.AgreementReader.Read(yaml, "x.yaml").Agreement!.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);
        var northwind = await TokenAsync(gateway, HospitalRecipient);
        var southwind = await TokenAsync(gateway, "southwind-labs");
        using var rows = await northwind.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        return (northwind, southwind, await rows.Content.ReadAsByteArrayAsync(), rows.Headers.GetValues("Concordat-Decision-Id").Single());
    }

    private static async Task<(byte[] Envelope, InTotoStatement Statement, NoteVerifierKey Key)> ReadVerifiedAsync(TestGateway gateway, HttpClient client, string path, string predicateType)
    {
        using var response = await client.GetAsync(path);
        var envelope = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(envelope));
        Assert.Equal("application/vnd.dsse.envelope.v1+json", response.Content.Headers.ContentType!.MediaType);
        var keyText = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/v1/attestations/key"))!["verifierKey"]!.GetValue<string>();
        Assert.True(NoteKey.TryParseVerifierKey(keyText, out var key, out var error), error);
        var verified = Attestation.Verify(envelope, [DsseVerifierKey.FromNoteKey(key)], predicateType);
        Assert.True(verified.IsVerified, verified.Error?.ToString());
        return (envelope, verified.Statement!, key);
    }

    private static string VerifyWithNode(byte[] envelope, NoteVerifierKey key) => NodePeer.Run("dsse-verify-ed25519.mjs", new JsonObject
    {
        ["envelope"] = JsonNode.Parse(envelope),
        ["publicKey"] = key.PublicKey.ToString(),
        ["keyid"] = Attestation.KeyIdOf(key),
    }.ToJsonString(), s_peerTimeout);
}
