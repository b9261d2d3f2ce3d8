using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Datasets;

/// <summary>Rows served and versions imported: formats, pseudonyms, receipts and what each egress records of its dataset version.</summary>
public abstract class DatasetsScenarios : GatewayScenarios
{
    [Theory]
    [InlineData("hospital-research", "training", "text/csv")]
    [InlineData("foundation-evaluation", "analysis", "application/x-ndjson")]
    [InlineData("redteam-engagement", "analysis", "text/csv")]
    public async Task ReadRows_SampleAgreement_StreamsRowsAndReceiptMatchesLog(string sample, string role, string accept)
    {
        await using var gateway = await StartAsync();
        var agreement = await gateway.InstallSampleAsync(sample);
        var grant = agreement.Grants.First(g => g.Actions.Contains(Concordat.Agreements.DataAction.ReadRows));
        var (clientId, secret) = await gateway.CreateIdentityAsync(grant.Recipient.Value, role);
        using var client = gateway.ClientFor(clientId, secret);
        var jurisdiction = grant.Jurisdictions.Count > 0 ? grant.Jurisdictions[0].Value : "DE";

        var tokenResponse = await TestGateway.RequestTokenAsync(client, grant.Datasets[0].Value, grant.Purposes[0].Value, jurisdiction);
        Assert.Equal(HttpStatusCode.Created, tokenResponse.StatusCode);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        using var bearer = gateway.Client("Bearer", token["token"]!.GetValue<string>());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{grant.Datasets[0]}/rows");
        request.Headers.Accept.ParseAdd(accept);
        using var rows = await bearer.SendAsync(request);
        var bytes = await rows.Content.ReadAsByteArrayAsync();

        Assert.True(rows.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(bytes));
        Assert.StartsWith(accept, rows.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("cdt_", token["token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(bytes.Length > 0);
        var decisionId = rows.Headers.GetValues("Concordat-Decision-Id").Single();
        var receipt = (await bearer.GetFromJsonAsync<JsonObject>($"/v1/receipts/{decisionId}"))!;
        Assert.Equal(bytes.Length, receipt["bytes"]!.GetValue<long>());
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), receipt["sha256"]!.GetValue<string>());
        Assert.True(receipt["isComplete"]!.GetValue<bool>());
        var entries = await gateway.LogEntriesAsync();
        var egress = entries.Single(e => e["type"]!.GetValue<string>() == "gateway.egress/v1");
        Assert.Equal(receipt["sha256"]!.GetValue<string>(), egress["body"]!["sha256"]!.GetValue<string>());
        var decisionIndex = entries.FindIndex(e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["decisionId"]!.GetValue<string>() == decisionId);
        Assert.True(decisionIndex >= 0 && decisionIndex < entries.IndexOf(egress));
    }

    [Fact]
    public async Task ImportVersion_RaggedRows_Returns422WithRowAndColumnAndLogsRefusal()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        using var response = await gateway.ImportAsync(HospitalDataset, "patient_id,name\r\nonly-one\r\n");

        var problem = await AssertProblemAsync(response, (HttpStatusCode)422, "GW6016");
        Assert.NotEmpty(problem["diagnostics"]!.AsArray());
        await AssertRefusalLoggedAsync(gateway, "GW6016");
    }

    [Theory]
    [InlineData("/v1/datasets/..%2F..%2Fetc%2Fpasswd/rows")]
    [InlineData("/v1/datasets/x'%20OR%20'1'='1/rows")]
    [InlineData("/v1/datasets/a;DROP%20TABLE%20registry_tokens;--/rows")]
    public async Task ReadRows_HostileDatasetId_Returns400AndLogsRefusal(string path)
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);

        using var response = await bearer.GetAsync(path);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "GW6018");
        await AssertRefusalLoggedAsync(gateway, "GW6018");
    }

    [Fact]
    public async Task ReadRows_SameRecipientTwice_PseudonymsAgree()
    {
        await using var gateway = await StartAsync();
        var first = await HospitalTokenAsync(gateway);
        var second = await HospitalTokenAsync(gateway, install: false);

        var a = await ReadFirstColumnAsync(first);
        var b = await ReadFirstColumnAsync(second);

        Assert.Equal(a, b);
        Assert.DoesNotContain(a, value => value.Length == 8 && value.StartsWith("P-", StringComparison.Ordinal) && value[2..].All(char.IsAsciiDigit));
    }

    [Fact]
    public async Task ReadRows_TwoRecipients_PseudonymsDiffer()
    {
        await using var gateway = await StartAsync();
        var yaml = TwoRecipientHospital();
        Assert.Equal(HttpStatusCode.Created, (await gateway.UploadAsync(yaml, gateway.Sign(yaml))).StatusCode);
        var agreement = Concordat.Agreements.AgreementReader.Read(yaml, "x.yaml").Agreement!;
        var dataset = agreement.Datasets.Single();
        Assert.Equal(HttpStatusCode.Created, (await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(dataset, 10, "research", "DE"))).StatusCode);

        var northwind = await ReadFirstColumnAsync(await TokenAsync(gateway, HospitalRecipient));
        var southwind = await ReadFirstColumnAsync(await TokenAsync(gateway, "southwind-labs"));

        Assert.Equal(northwind.Count, southwind.Count);
        Assert.Empty(northwind.Intersect(southwind));
    }

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
    public async Task ImportVersion_VersionInAnswerAndEntry_IsAnInteger()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);

        var import = (await gateway.LogEntriesAsync()).First(e => e["type"]!.GetValue<string>() == "gateway.dataset-import/v1");
        using var response = await gateway.ImportAsync(HospitalDataset, SampleRows.Csv(TestGateway.ReadSample(Hospital).Datasets[0], 2, "research", "DE"));

        Assert.Equal(1, import["body"]!["version"]!.GetValue<int>());
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        Assert.Equal(JsonValueKind.Number, body!["version"]!.GetValueKind());
    }

    [Theory]
    [InlineData("text/csv;q=0")]
    [InlineData("text/csv;q=0, */*;q=0.5, application/x-ndjson;q=0")]
    public async Task ReadRows_EveryRowFormatAtQualityZero_Returns406WithTraceId(string accept)
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{HospitalDataset}/rows");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await bearer.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.NotAcceptable, "GW6019");
        await AssertRefusalLoggedAsync(gateway, "GW6019");
    }

    [Theory]
    [InlineData("text/csv;q=0, */*", "application/x-ndjson")]
    [InlineData("text/*;q=0.2, application/x-ndjson;q=0.5", "application/x-ndjson")]
    [InlineData("application/x-ndjson;q=0.5, text/csv", "text/csv")]
    public async Task ReadRows_Accept_ServesTheFormatOfHighestQuality(string accept, string served)
    {
        await using var gateway = await StartAsync();
        var bearer = await HospitalTokenAsync(gateway);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{HospitalDataset}/rows");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await bearer.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(served, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ImportVersion_RowsThatDoNotMatch_DiagnosticsNameTheUploadedFile()
    {
        await using var gateway = await StartAsync();
        await gateway.InstallSampleAsync(Hospital);
        using var content = new StringContent("patient_id,unknown\n1,2\n", Encoding.UTF8, "text/csv");
        content.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileNameStar = "cardiology-2026.csv" };

        using var response = await gateway.Operator.PostAsync($"/v1/datasets/{HospitalDataset}/versions", content);

        var problem = await AssertProblemAsync(response, (HttpStatusCode)422, "GW6016");
        Assert.All(problem["diagnostics"]!.AsArray(), d => Assert.StartsWith("cardiology-2026.csv", d!.GetValue<string>(), StringComparison.Ordinal));
    }

    private static async Task<List<string>> ReadFirstColumnAsync(HttpClient bearer)
    {
        var csv = await bearer.GetStringAsync($"/v1/datasets/{HospitalDataset}/rows");
        return csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]).ToList();
    }

    private static async Task<string> FreshHospitalTokenAsync(TestGateway gateway)
    {
        var (clientId, secret) = await gateway.CreateIdentityAsync(HospitalRecipient, "training");
        using var client = gateway.ClientFor(clientId, secret);
        using var response = await TestGateway.RequestTokenAsync(client, HospitalDataset, "research", "DE");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }
}
