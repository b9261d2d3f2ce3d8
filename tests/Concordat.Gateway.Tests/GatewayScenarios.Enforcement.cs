using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests;

/// <summary>
/// What the gateway enforces as agreements change (amended schemas, terminations), what it records of each egress
/// (dataset version, manifest, withheld rows), the dataset versions it serves, and the access review.
/// </summary>
public abstract partial class GatewayScenarios
{
    [Fact]
    public async Task ReadRows_AmendmentChangedTheSchema_Returns409NamingDatasetAndVersionAndUploadWarns()
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        var amended = HospitalVersion(2).Replace("      - { name: residency, type: string, classification: plain }\n", "      - { name: residency, type: string, classification: plain }\n      - { name: ward, type: string, classification: plain }\n", StringComparison.Ordinal);

        using var upload = await gateway.UploadAsync(amended, gateway.Sign(amended));
        var answer = (await upload.Content.ReadFromJsonAsync<JsonObject>())!;
        using var fresh = gateway.Client("Bearer", await FreshHospitalTokenAsync(gateway));
        using var rows = await fresh.GetAsync($"/v1/datasets/{HospitalDataset}/rows");

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Contains($"dataset `{HospitalDataset}` version 1", answer["warnings"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var problem = await AssertProblemAsync(rows, HttpStatusCode.Conflict, "GW6042");
        Assert.Contains($"`{HospitalDataset}` version 1", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertRefusalLoggedAsync(gateway, "GW6042");
        bearer.Dispose();
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
    public async Task ImportVersion_Location_ServesTheVersionWithItsManifest()
    {
        await using var gateway = await StartAsync();
        var agreement = await gateway.InstallSampleAsync(Hospital);

        using var import = await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(agreement.Datasets.Single(), 5, "research", "DE"));
        var imported = (await import.Content.ReadFromJsonAsync<JsonObject>())!;
        using var version = await gateway.Operator.GetAsync(import.Headers.Location);
        var served = (await version.Content.ReadFromJsonAsync<JsonObject>())!;
        var versions = (await gateway.Operator.GetFromJsonAsync<JsonArray>($"/v1/datasets/{HospitalDataset}/versions"))!;
        var datasets = (await gateway.Operator.GetFromJsonAsync<JsonArray>("/v1/datasets"))!;
        using var missing = await gateway.Operator.GetAsync($"/v1/datasets/{HospitalDataset}/versions/9");
        using var byRecipient = await (await HospitalTokenAsync(gateway, install: false)).GetAsync($"/v1/datasets/{HospitalDataset}/versions");

        Assert.Equal(HttpStatusCode.OK, version.StatusCode);
        Assert.Equal(imported["manifest"]!.GetValue<string>(), served["manifestDigest"]!.GetValue<string>());
        var manifestBytes = Encoding.UTF8.GetBytes(served["manifest"]!.ToJsonString());
        Assert.Equal(imported["manifest"]!.GetValue<string>(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifestBytes)));
        Assert.Equal(5, served["manifest"]!["rowCount"]!.GetValue<long>());
        Assert.Equal([1, 2], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.All(versions, v => Assert.True(v!["matchesAgreement"]!.GetValue<bool>()));
        var listed = Assert.Single(datasets);
        Assert.Equal((HospitalDataset, 2, 2), (listed!["dataset"]!.GetValue<string>(), listed["versions"]!.GetValue<int>(), listed["latest"]!["version"]!.GetValue<int>()));
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "GW6014");
        await AssertProblemAsync(byRecipient, HttpStatusCode.Forbidden, "GW6017");
    }

    [Fact]
    public async Task ReadRows_Served_DecisionEgressAndReceiptNameVersionManifestAndWithheldRows()
    {
        await using var gateway = await StartAsync();
        var agreement = await gateway.InstallSampleAsync(Hospital);
        var csv = SampleRows.Csv(agreement.Datasets.Single(), 10, "research", "DE");
        var lines = csv.Split('\n');
        var withheld = string.Join('\n', lines.Select((line, i) => i is 1 or 2 ? line.Replace(",research,", ",marketing,", StringComparison.Ordinal) : line));
        using var import = await gateway.ImportAsync(HospitalDataset, withheld);
        var manifest = (await import.Content.ReadFromJsonAsync<JsonObject>())!["manifest"]!.GetValue<string>();
        var bearer = await HospitalTokenAsync(gateway, install: false);

        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        var bytes = await rows.Content.ReadAsByteArrayAsync();
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
        var receipt = (await bearer.GetFromJsonAsync<JsonObject>($"/v1/receipts/{decisionId}"))!;
        var entries = await gateway.LogEntriesAsync();

        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        var decision = entries.Single(e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["decisionId"]!.GetValue<string>() == decisionId)["body"]!;
        var egress = (await WaitForEntryAsync(gateway, "gateway.egress/v1", decisionId))["body"]!;
        Assert.Equal((2, manifest), (decision["datasetVersion"]!.GetValue<int>(), decision["manifest"]!.GetValue<string>()));
        Assert.Equal((2, manifest), (egress["datasetVersion"]!.GetValue<int>(), egress["manifest"]!.GetValue<string>()));
        Assert.Equal((2, manifest), (receipt["datasetVersion"]!.GetValue<int>(), receipt["manifest"]!.GetValue<string>()));
        Assert.Equal(2, receipt["rowsWithheldByConsent"]!.GetValue<long>());
        Assert.Equal(0, receipt["rowsWithheldByResidency"]!.GetValue<long>());
        Assert.Equal(2, egress["rowsWithheldByConsent"]!.GetValue<long>());
        Assert.Equal(bytes.Length, receipt["bytesWritten"]!.GetValue<long>());
        Assert.Equal(bytes.Length, egress["bytesWritten"]!.GetValue<long>());
        Assert.Null(egress["bytes"]);
    }

    [Fact]
    public async Task ReviewAccess_RoleExcludesAGrantAndAnAmendmentInvalidatedAToken_SaysSo()
    {
        await using var gateway = await StartAsync();
        await HospitalTokenAsync(gateway);
        var amended = HospitalVersion(2);
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(amended, gateway.Sign(amended))).StatusCode);

        var review = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/access-review"))!;

        var identity = Assert.Single(review["identities"]!.AsArray())!;
        Assert.Empty(identity["liveTokens"]!.AsArray());
        var grants = identity["grants"]!.AsArray().ToDictionary(g => g!["clause"]!.GetValue<string>(), g => g!);
        Assert.Equal("in-force", grants["research-rows"]["status"]!.GetValue<string>());
        Assert.Equal("role-excludes", grants["cohort-statistics"]["status"]!.GetValue<string>());
        Assert.Equal(["aggregate-query"], grants["cohort-statistics"]["grantActions"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    private static string HospitalVersion(int version) =>
        File.ReadAllText(TestGateway.SamplePath(Hospital)).Replace("\nversion: 1\n", $"\nversion: {version}\n", StringComparison.Ordinal);

    private static async Task<string> FreshHospitalTokenAsync(TestGateway gateway)
    {
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }
}
