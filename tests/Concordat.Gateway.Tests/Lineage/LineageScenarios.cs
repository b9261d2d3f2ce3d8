using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Lineage;

/// <summary>
/// The lineage graph over real HTTP: the operator sees every egress a dataset version touched and where each came
/// from; a recipient sees its own lineage only, and another's egress is "not found".
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

    private static async Task<string> EgressAsync(HttpClient bearer)
    {
        using var rows = await bearer.GetAsync($"/v1/datasets/{HospitalDataset}/rows");
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
        await rows.Content.ReadAsByteArrayAsync();
        return rows.Headers.GetValues("Concordat-Decision-Id").Single();
    }

    private static async Task<JsonObject> ImpactAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>($"/v1/lineage/impact?dataset={HospitalDataset}&version=1"))!;

    private static string[] Ids(JsonObject impact) => [.. impact["egress"]!.AsArray().Select(e => e!["decisionId"]!.GetValue<string>())];
}
