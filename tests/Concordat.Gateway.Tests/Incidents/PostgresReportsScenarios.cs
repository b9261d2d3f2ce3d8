using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Incidents;

/// <summary>
/// The report scenarios on a fresh database of the shared PostgreSQL server; and two replicas, each with a workspace of
/// its own, on one database: a report taken by one is followed up and acted on through the other.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresReportsScenarios(PostgresServer server) : ReportsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");

    [Fact]
    public async Task Report_TakenOnReplicaA_ReadFollowedUpAndAcknowledgedOnReplicaB()
    {
        await using var replicas = await TestReplicas.StartApartAsync(await server.CreateDatabaseAsync("reports"));

        using var submitted = await replicas.A.Anonymous.PostAsJsonAsync("/v1/reports", new { kind = "vulnerability", summary = "tokens of other tenants", details = "the export echoes a bearer" });
        var receipt = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = receipt["id"]!.GetValue<string>();
        var secret = receipt["secret"]!.GetValue<string>();
        var onB = await StatusAsync(replicas.B, id, secret);
        var content = await ContentAsync(replicas.B, id);
        using var wrongSecretOnB = await Get(replicas.B, id, "wrong-secret-value");
        using var acknowledgedOnB = await replicas.B.Operator.PostAsJsonAsync($"/v1/incidents/{content["incidentId"]!.GetValue<string>()}/acts", new { act = "acknowledge", actor = "bob" });
        var onA = await StatusAsync(replicas.A, id, secret);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.NotEqual(replicas.A.Workspace, replicas.B.Workspace);
        Assert.Equal("received", onB["state"]!.GetValue<string>());
        Assert.Equal("the export echoes a bearer", content["details"]!.GetValue<string>());
        Assert.Equal("anonymous", content["reporter"]!.GetValue<string>());
        await AssertProblemAsync(wrongSecretOnB, HttpStatusCode.NotFound, "GW6408");
        Assert.Equal(HttpStatusCode.OK, acknowledgedOnB.StatusCode);
        Assert.Equal("acknowledged", onA["state"]!.GetValue<string>());
    }
}
