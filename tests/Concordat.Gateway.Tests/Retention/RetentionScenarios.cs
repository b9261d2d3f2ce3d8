using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Crypto;
using Concordat.Decisions;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Retention;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Retention;
using Concordat.Testing.Log;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Concordat.Gateway.Tests.Retention;

/// <summary>
/// Retention over real HTTP: recipients file signed deletion attestations for their own egress, checked against the
/// key the operator pinned for them and the gateway's record of the bytes sent; <c>GET /v1/retention</c> shows due,
/// done and overdue; the periodic check raises one alert per overdue egress through the incidents alert path.
/// </summary>
public abstract class RetentionScenarios : GatewayScenarios
{
    private const string Southwind = "southwind-labs";

    [Fact]
    public async Task Attest_OwnEgressSignedWithPinnedKey_LoggedAndDone()
    {
        await using var gateway = await StartTwoRecipientsAsync();
        using var northwind = await TokenAsync(gateway, HospitalRecipient);
        var (decisionId, sha256) = await EgressAsync(gateway, northwind);

        var before = (await northwind.GetFromJsonAsync<JsonObject>("/v1/retention"))!;
        using var response = await PostAsync(northwind, Sign(gateway.SignerKey(HospitalRecipient), HospitalRecipient, gateway.Clock.GetUtcNow(), (decisionId, sha256)));
        var after = (await northwind.GetFromJsonAsync<JsonObject>("/v1/retention"))!;
        var operatorView = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/retention"))!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("due", Item(before, decisionId)["state"]!.GetValue<string>());
        Assert.Equal(sha256, Item(before, decisionId)["sha256"]!.GetValue<string>());
        Assert.Equal("2026-07-01T12:00:00Z", Item(before, decisionId)["deleteBy"]!.GetValue<string>()[..19] + "Z");
        Assert.Equal("done", Item(after, decisionId)["state"]!.GetValue<string>());
        Assert.Equal(1, after["done"]!.GetValue<int>());
        Assert.Equal(0, operatorView["unknownAgreements"]!.GetValue<int>());
        var entry = (await gateway.LogEntriesAsync()).Single(e => e["type"]!.GetValue<string>() == RetentionLedger.DeletionAttestedType);
        Assert.Equal(HospitalRecipient, entry["body"]!["recipient"]!.GetValue<string>());
        Assert.Equal([decisionId], entry["body"]!["decisionIds"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(Attestation.KeyIdOf(gateway.SignerKey(HospitalRecipient).VerifierKey), entry["body"]!["keyId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Attest_AnotherRecipientsEgressOrAnUnknownOne_SameGw6901AndNothingLogged()
    {
        await using var gateway = await StartTwoRecipientsAsync();
        using var northwind = await TokenAsync(gateway, HospitalRecipient);
        using var southwind = await TokenAsync(gateway, Southwind);
        var (decisionId, sha256) = await EgressAsync(gateway, northwind);
        var key = gateway.SignerKey(Southwind);

        using var others = await PostAsync(southwind, Sign(key, Southwind, gateway.Clock.GetUtcNow(), (decisionId, sha256)));
        using var unknown = await PostAsync(southwind, Sign(key, Southwind, gateway.Clock.GetUtcNow(), ("dec_unknown", sha256)));
        using var wrongDigest = await PostAsync(northwind, Sign(gateway.SignerKey(HospitalRecipient), HospitalRecipient, gateway.Clock.GetUtcNow(), (decisionId, Sha256Digest.Compute("other"u8).ToString())));
        var southwindView = (await southwind.GetFromJsonAsync<JsonObject>("/v1/retention"))!;

        var otherProblem = await AssertProblemAsync(others, HttpStatusCode.UnprocessableEntity, "GW6901");
        var unknownProblem = await AssertProblemAsync(unknown, HttpStatusCode.UnprocessableEntity, "GW6901");
        await AssertProblemAsync(wrongDigest, HttpStatusCode.UnprocessableEntity, "GW6901");
        Assert.Equal(otherProblem["detail"]!.GetValue<string>().Replace(decisionId, "ID", StringComparison.Ordinal), unknownProblem["detail"]!.GetValue<string>().Replace("dec_unknown", "ID", StringComparison.Ordinal));
        Assert.Empty(southwindView["items"]!.AsArray());
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == RetentionLedger.DeletionAttestedType);
    }

    [Fact]
    public async Task Attest_UnpinnedKeyOtherRecipientNamedOrOperator_Refused()
    {
        await using var gateway = await StartTwoRecipientsAsync();
        using var northwind = await TokenAsync(gateway, HospitalRecipient);
        var egress = await EgressAsync(gateway, northwind);
        var stranger = LogTestData.CreateKey(HospitalRecipient, 9);

        using var unpinned = await PostAsync(northwind, Sign(stranger, HospitalRecipient, gateway.Clock.GetUtcNow(), egress));
        using var otherName = await PostAsync(northwind, Sign(gateway.SignerKey(HospitalRecipient), Southwind, gateway.Clock.GetUtcNow(), egress));
        using var future = await PostAsync(northwind, Sign(gateway.SignerKey(HospitalRecipient), HospitalRecipient, gateway.Clock.GetUtcNow().AddDays(1), egress));
        using var notEnvelope = await northwind.PostAsync("/v1/retention/attestations", new StringContent("{\"payload\":1}", Encoding.UTF8, "application/json"));
        using var byOperator = await PostAsync(gateway.Operator, Sign(gateway.SignerKey(HospitalRecipient), HospitalRecipient, gateway.Clock.GetUtcNow(), egress));

        var problem = await AssertProblemAsync(unpinned, HttpStatusCode.UnprocessableEntity, "GW6900");
        Assert.Contains("PRV5003", problem["diagnostics"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("southwind-labs", (await AssertProblemAsync(otherName, HttpStatusCode.UnprocessableEntity, "GW6900"))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("future", (await AssertProblemAsync(future, HttpStatusCode.UnprocessableEntity, "GW6900"))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("PRV5001", (await AssertProblemAsync(notEnvelope, HttpStatusCode.UnprocessableEntity, "GW6900"))["diagnostics"]!.ToJsonString(), StringComparison.Ordinal);
        await AssertProblemAsync(byOperator, HttpStatusCode.Forbidden, "GW6903");
        Assert.DoesNotContain(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == RetentionLedger.DeletionAttestedType);
    }

    [Fact]
    public async Task Check_AttestationOverdue_OneAlertPerEgressAndAnIncidentForTriage()
    {
        await using var gateway = await StartTwoRecipientsAsync();
        using var northwind = await TokenAsync(gateway, HospitalRecipient);
        var (decisionId, _) = await EgressAsync(gateway, northwind);
        var watch = Watch(gateway);

        var early = await watch.CheckAsync(CancellationToken.None);
        gateway.Clock.Advance(TimeSpan.FromDays(30 + 14) + TimeSpan.FromSeconds(1));
        var late = await watch.CheckAsync(CancellationToken.None);
        var again = await watch.CheckAsync(CancellationToken.None);
        var view = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/retention"))!;

        Assert.Equal(0, early);
        Assert.Equal(1, late);
        Assert.Equal(0, again);
        Assert.Equal("overdue", Item(view, decisionId)["state"]!.GetValue<string>());
        var entries = await gateway.LogEntriesAsync();
        var alert = entries.Single(e => e["type"]!.GetValue<string>() == "gateway.alert/v1");
        Assert.Equal("deletion-attestation-overdue", alert["body"]!["alert"]!.GetValue<string>());
        Assert.Equal(decisionId, alert["body"]!["subject"]!.GetValue<string>());
        Assert.Equal(HospitalRecipient, alert["body"]!["recipient"]!.GetValue<string>());
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.incident-opened/v1" && e["body"]!["recipients"]!.AsArray().Any(r => r!.GetValue<string>() == HospitalRecipient));
    }

    [Fact]
    public async Task Check_AfterRestart_RemembersTheAlertFromTheLog()
    {
        var workspace = Directory.CreateTempSubdirectory("concordat-gw-").FullName;
        var store = await StoreAsync();
        try
        {
            await using (var first = await TestGateway.StartAsync(store, workspace: workspace))
            {
                await InstallTwoRecipientsAsync(first);
                using var northwind = await TokenAsync(first, HospitalRecipient);
                await EgressAsync(first, northwind);
                first.Clock.Advance(TimeSpan.FromDays(45));
                Assert.Equal(1, await Watch(first).CheckAsync(CancellationToken.None));
            }

            await using var second = await TestGateway.StartAsync(store, workspace: workspace);
            second.Clock.Advance(TimeSpan.FromDays(46));

            var raised = await Watch(second).CheckAsync(CancellationToken.None);

            Assert.Equal(0, raised);
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    [Fact]
    public async Task List_WithoutCredentialsOrWithBadInstant_Refused()
    {
        await using var gateway = await StartAsync();

        using var anonymous = await gateway.Anonymous.GetAsync("/v1/retention");
        using var badInstant = await gateway.Operator.GetAsync("/v1/retention?at=2026-07-01T12:00:00%2B02:00");

        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "GW6001");
        await AssertProblemAsync(badInstant, HttpStatusCode.BadRequest, "GW6013");
    }

    private async Task<TestGateway> StartTwoRecipientsAsync()
    {
        var gateway = await StartAsync();
        await InstallTwoRecipientsAsync(gateway);
        return gateway;
    }

    private protected static async Task InstallTwoRecipientsAsync(TestGateway gateway)
    {
        var yaml = TwoRecipientHospital();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var dataset = AgreementReader.Read(yaml, "x.yaml").Agreement!.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);
    }

    private static RetentionWatch Watch(TestGateway gateway) => gateway.Services.GetServices<IHostedService>().OfType<RetentionWatch>().Single();

    private protected static async Task<(string DecisionId, string Sha256)> EgressAsync(TestGateway gateway, HttpClient recipient)
    {
        using var rows = await recipient.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        var bytes = await rows.Content.ReadAsByteArrayAsync();
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
        await WaitForEntryAsync(gateway, "gateway.attestation/v1", decisionId);
        return (decisionId, Sha256Digest.Compute(bytes).ToString());
    }

    internal static byte[] Sign(NoteSignerKey key, string recipient, DateTimeOffset deletedAt, params (string DecisionId, string Sha256)[] egress) =>
        Attestation.Sign(DeletionAttestation.Statement(new DeletionClaim(new PartyId(recipient), deletedAt, [.. egress.Select(e => new DeletedEgress(new DecisionId(e.DecisionId), Sha256Digest.Parse(e.Sha256)))])), key).ToJson();

    internal static Task<HttpResponseMessage> PostAsync(HttpClient client, byte[] envelope) =>
        client.PostAsync("/v1/retention/attestations", new ByteArrayContent(envelope) { Headers = { ContentType = new("application/json") } });

    private protected static JsonObject Item(JsonObject report, string decisionId) =>
        report["items"]!.AsArray().Single(i => i!["decisionId"]!.GetValue<string>() == decisionId)!.AsObject();
}
