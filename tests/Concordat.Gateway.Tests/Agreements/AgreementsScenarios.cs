using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements.Signatures;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Agreements;

/// <summary>Agreement and termination uploads: what is accepted, what is refused, and from when a termination denies.</summary>
public abstract class AgreementsScenarios : GatewayScenarios
{
    [Fact]
    public async Task UploadAgreement_SignatureNoLongerMatches_Returns422AndLogsRejection()
    {
        await using var gateway = await StartAsync();
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));
        var signatures = gateway.Sign(yaml);
        var changed = yaml.Replace("requests: 600", "requests: 60000", StringComparison.Ordinal);

        using var response = await gateway.UploadAsync(changed, signatures);

        await AssertProblemAsync(response, (HttpStatusCode)422, "GW6015");
        var entries = await gateway.LogEntriesAsync();
        Assert.Contains(entries, e => e["type"]!.GetValue<string>() == "gateway.agreement/v1" && e["body"]!["state"]!.GetValue<string>() == "rejected");
        var (clientIdResponse, _) = (await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{HospitalRecipient}/identities", new { role = "training" }), 0);
        Assert.Equal(HttpStatusCode.NotFound, clientIdResponse.StatusCode);
    }

    [Fact]
    public async Task UploadAgreement_WideningAmendment_ActivationEntryNamesBothDigestsAndTheDiffServedOverHttp()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var amendment = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "amendments", Hospital + "-v2.yaml"));

        using var response = await gateway.UploadAsync(amendment, gateway.Sign(amendment));
        using var diffResponse = await gateway.Operator.GetAsync($"/v1/agreements/{Hospital}/diff?from=1&to=2");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var summary = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(1, summary["supersedes"]!.GetValue<int>());
        Assert.True(summary["grantsMore"]!.GetValue<bool>());
        Assert.StartsWith("WIDENING: the new version grants more", summary["verdict"]!.GetValue<string>(), StringComparison.Ordinal);
        var activations = (await gateway.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.agreement/v1" && e["body"]!["state"]!.GetValue<string>() == "active").Select(e => e["body"]!).ToList();
        Assert.Equal(2, activations.Count);
        Assert.Null(activations[0]["diffDigest"]);
        var body = activations[1];
        Assert.Equal(1, body["supersedes"]!.GetValue<int>());
        Assert.Equal(activations[0]["digest"]!.GetValue<string>(), body["supersedesDigest"]!.GetValue<string>());
        Assert.True(body["grantsMore"]!.GetValue<bool>());
        Assert.Equal(summary["diffDigest"]!.GetValue<string>(), body["diffDigest"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, diffResponse.StatusCode);
        var diff = (await diffResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(body["diffDigest"]!.GetValue<string>(), diff["digest"]!.GetValue<string>());
        Assert.Equal(4, diff["changes"]!.AsArray().Count);
        Assert.Equal("GB", diff["widening"]!["request"]!["jurisdiction"]!.GetValue<string>());

        // The digest covers the diff without `digest` and `verdict`: anyone holding both versions recomputes it.
        diff.Remove("digest");
        diff.Remove("verdict");
        Assert.Equal(body["diffDigest"]!.GetValue<string>(), Concordat.Core.CanonicalJson.Digest(diff).ToString());
    }

    [Fact]
    public async Task UploadAgreement_AmendmentSignedByAllButOneThenByAll_OldVersionInForceUntilThenAndItsTokenStops()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        var amendment = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "amendments", Hospital + "-v2.yaml"));
        var signatures = gateway.Sign(amendment);
        var allButRecipient = SignatureFile.Write(SignatureFile.Read(signatures, "v2.sigs.json", out _).Where(s => s.Signer.Value != HospitalRecipient));

        using var refused = await gateway.UploadAsync(amendment, allButRecipient);
        using var underV1 = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        using var accepted = await gateway.UploadAsync(amendment, signatures);
        using var afterV2 = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        var problem = await AssertProblemAsync(refused, (HttpStatusCode)422, "GW6015");
        Assert.Contains("version 1 stays in force; against it this version: WIDENING: the new version grants more", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, underV1.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        await AssertProblemAsync(afterV2, HttpStatusCode.Forbidden, "GW6009");
        var entries = (await gateway.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.agreement/v1").Select(e => e["body"]!).ToList();
        var v1 = Assert.Single(entries, e => e["version"]!.GetValue<int>() == 1);
        var rejected = Assert.Single(entries, e => e["state"]!.GetValue<string>() == "rejected");
        var active = Assert.Single(entries, e => e["state"]!.GetValue<string>() == "active" && e["version"]!.GetValue<int>() == 2);
        Assert.True(entries.IndexOf(rejected) < entries.IndexOf(active));
        Assert.All((JsonNode[])[rejected, active], e =>
        {
            Assert.Equal(1, e["supersedes"]!.GetValue<int>());
            Assert.Equal(v1["digest"]!.GetValue<string>(), e["supersedesDigest"]!.GetValue<string>());
            Assert.Equal(active["digest"]!.GetValue<string>(), e["digest"]!.GetValue<string>());
            Assert.Equal(active["diffDigest"]!.GetValue<string>(), e["diffDigest"]!.GetValue<string>());
            Assert.True(e["grantsMore"]!.GetValue<bool>());
        });
        Assert.Contains("AGR", rejected["codes"]!.AsArray()[0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=1&to=9", HttpStatusCode.NotFound, "GW6014")]
    [InlineData("from=1", HttpStatusCode.BadRequest, "GW6013")]
    [InlineData("from=0&to=1", HttpStatusCode.BadRequest, "GW6013")]
    public async Task DiffAgreementVersions_BadVersions_OneProblem(string query, HttpStatusCode status, string code)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var response = await gateway.Operator.GetAsync($"/v1/agreements/{Hospital}/diff?{query}");

        await AssertProblemAsync(response, status, code);
    }

    [Fact]
    public async Task UploadTermination_Signed_IsLoggedAndDeniesFromItsEffectiveTime()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));
        var effective = gateway.Clock.GetUtcNow().AddDays(91);

        using var terminate = await gateway.UploadTerminationAsync(Hospital, gateway.Terminate(yaml, HospitalRecipient, effective));
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var before = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        gateway.Clock.Advance(TimeSpan.FromDays(92));
        using var after = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");

        Assert.Equal(HttpStatusCode.Created, terminate.StatusCode);
        Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        await AssertProblemAsync(after, HttpStatusCode.Forbidden, "GW6006");
        var entry = Assert.Single(await gateway.LogEntriesAsync(), e => e["type"]!.GetValue<string>() == "gateway.agreement/v1" && e["body"]!["state"]!.GetValue<string>() == "terminated");
        Assert.Equal(effective, entry["body"]!["effectiveAt"]!.GetValue<DateTimeOffset>());
        var listed = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/agreements"))!;
        Assert.Equal(effective, listed[0]!["terminatesAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(30)]
    public async Task UploadTermination_BeforeTheNoticePeriodEnds_Returns422AndLogsRefusal(int days)
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));

        using var terminate = await gateway.UploadTerminationAsync(Hospital, gateway.Terminate(yaml, HospitalRecipient, gateway.Clock.GetUtcNow().AddDays(days)));

        var problem = await AssertProblemAsync(terminate, HttpStatusCode.UnprocessableEntity, "GW6043");
        Assert.Contains("AGR3110", problem["diagnostics"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertRefusalLoggedAsync(gateway, "GW6043");
    }

    [Fact]
    public async Task UploadTermination_NotSignedByAParty_Returns422()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));

        using var terminate = await gateway.UploadTerminationAsync(Hospital, gateway.Terminate(yaml, "ethics-board", gateway.Clock.GetUtcNow().AddDays(100)));

        var problem = await AssertProblemAsync(terminate, HttpStatusCode.UnprocessableEntity, "GW6043");
        Assert.Contains("AGR3109", problem["diagnostics"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAgreement_DocumentThatDoesNotRead_Returns422AndLogsRefusal()
    {
        await using var gateway = await StartAsync();

        using var response = await gateway.UploadAsync("concordat: [1\n", null);

        var problem = await AssertProblemAsync(response, (HttpStatusCode)422, "GW6015");
        Assert.NotEmpty(problem["diagnostics"]!.AsArray());
        await AssertRefusalLoggedAsync(gateway, "GW6015");
    }
}
