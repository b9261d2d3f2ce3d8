using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Attestations;
using Concordat.Crypto;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Testing.Peers;

namespace Concordat.Gateway.Tests.Provenance;

/// <summary>
/// The gateway's attestations over real HTTP: a signed dataset version at every import and at the first start after
/// upgrade, a signed egress per egress, each logged, served to whom may read it, and verified by code nobody here wrote.
/// </summary>
public abstract class AttestationsScenarios : GatewayScenarios
{
    private static readonly TimeSpan s_peerTimeout = TimeSpan.FromSeconds(30);

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
        var yaml = TwoRecipientHospital();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var dataset = Concordat.Agreements.AgreementReader.Read(yaml, "x.yaml").Agreement!.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);
        using var northwind = await TokenAsync(gateway, HospitalRecipient);
        using var southwind = await TokenAsync(gateway, "southwind-labs");

        using var rows = await northwind.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        var bytes = await rows.Content.ReadAsByteArrayAsync();
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
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
    public async Task ReadKey_Anonymous_ReturnsTheLogKeyWhenNoProviderKey()
    {
        await using var gateway = await StartAsync();

        var key = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/v1/attestations/key"))!;

        Assert.Equal("log", key["source"]!.GetValue<string>());
        Assert.Equal(File.ReadAllText(Path.Combine(gateway.Workspace, "log.pub")).Trim(), key["verifierKey"]!.GetValue<string>());
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

    private static async Task<HttpClient> TokenAsync(TestGateway gateway, string recipient)
    {
        var (clientId, secret) = await gateway.CreateIdentityAsync(recipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return gateway.Client("Bearer", (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>());
    }
}
