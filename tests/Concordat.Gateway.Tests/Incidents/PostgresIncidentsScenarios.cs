using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Incidents;

/// <summary>
/// The incidents scenarios on a fresh database of the shared PostgreSQL server; and two replicas on one database: what
/// one writes the other sees at once, and traffic split between them is judged as a whole, with one alert.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresIncidentsScenarios(PostgresServer server) : IncidentsScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");

    [Fact]
    public async Task Incident_OpenedAndSealedOnReplicaA_SeenOnReplicaBAtOnce()
    {
        await using var replicas = await TestReplicas.StartAsync(await server.CreateDatabaseAsync("incidents"));
        await replicas.A.InstallSampleAsync(Hospital);
        await TestReplicas.InForceOnAsync(replicas.B, Hospital);
        var before = (await replicas.B.Operator.GetFromJsonAsync<JsonObject>("/v1/incidents"))!["incidents"]!.AsArray();

        using var opened = await replicas.A.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "high", suspected = "bulk download", triageOwner = "alice", agreements = new[] { Hospital }, recipients = new[] { HospitalRecipient } });
        var id = (await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var openOnB = (await replicas.B.Operator.GetFromJsonAsync<JsonObject>($"/v1/incidents/{id}"))!;
        using var sealedOnA = await replicas.A.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "seal", actor = "alice" });
        var afterSeal = (await replicas.B.Operator.GetFromJsonAsync<JsonObject>($"/v1/incidents/{id}"))!;
        using var closedOnB = await replicas.B.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "close", actor = "bob", rootCause = "r" });
        var closedOnA = (await replicas.A.Operator.GetFromJsonAsync<JsonObject>($"/v1/incidents/{id}"))!;

        Assert.Empty(before);
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.True(openOnB["isOpen"]!.GetValue<bool>());
        Assert.Equal("alice", openOnB["triageOwner"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, sealedOnA.StatusCode);
        Assert.Equal(["seal"], afterSeal["acts"]!.AsArray().Select(a => a!["act"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, closedOnB.StatusCode);
        Assert.False(closedOnA["isOpen"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Act_SameCloseOnTwoReplicasAtOnce_OneAppliedTheOtherRefusedAndEveryAnswered2xxActIsInTheLog()
    {
        await using var replicas = await TestReplicas.StartAsync(await server.CreateDatabaseAsync("races"));
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var opened = await replicas.A.Operator.PostAsJsonAsync("/v1/incidents", new { severity = "low", suspected = "race", triageOwner = "alice" });
            ids.Add((await opened.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>());
        }

        // Each incident is closed by both replicas at the same instant, as two responders would.
        var answers = await Task.WhenAll(ids.Select(async id =>
        {
            var closes = await Task.WhenAll(
                replicas.A.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "close", actor = "alice", rootCause = "a" }),
                replicas.B.Operator.PostAsJsonAsync($"/v1/incidents/{id}/acts", new { act = "close", actor = "bob", rootCause = "b" }));
            return (Id: id, Answers: closes);
        }));

        var entries = await replicas.B.LogEntriesAsync();
        foreach (var (id, closes) in answers)
        {
            var closeEntries = entries.Where(e => e["type"]!.GetValue<string>() == "gateway.incident-act/v1" && e["body"]!["incidentId"]!.GetValue<string>() == id).ToList();
            Assert.Single(closes, c => c.StatusCode == HttpStatusCode.OK);
            await AssertProblemAsync(Assert.Single(closes, c => c.StatusCode != HttpStatusCode.OK), HttpStatusCode.Conflict, "GW6402");
            Assert.Single(closeEntries);
            var closedBy = closeEntries[0]["body"]!["actor"]!.GetValue<string>();
            var winner = closedBy == "alice" ? closes[0] : closes[1];
            Assert.Equal(HttpStatusCode.OK, winner.StatusCode);
            var applied = (await winner.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.False(applied["incident"]!["isOpen"]!.GetValue<bool>());
            foreach (var close in closes)
            {
                close.Dispose();
            }
        }
    }

    [Fact]
    public async Task Detection_TrafficSplitOverTwoReplicas_JudgedAsAWholeAndEachAlertRaisedOnce()
    {
        var workspace = Workspace("""{"warmupHours": 0, "warmupActiveHours": 0, "minimumRows": 30}""");
        try
        {
            await using var replicas = await TestReplicas.StartAsync(await server.CreateDatabaseAsync("detection"), workspace);
            await replicas.A.InstallSampleAsync(Hospital);
            await TestReplicas.InForceOnAsync(replicas.B, Hospital);
            using var onA = await TokenAsync(replicas.A, HospitalRecipient);
            using var onB = await TokenAsync(replicas.B, HospitalRecipient);

            var rowsOnA = await ReadRowsAsync(replicas.A, onA);
            var rowsOnB = await ReadRowsAsync(replicas.B, onB);
            await JudgedAllAsync(replicas.A, replicas.B);

            Assert.True(rowsOnA < 30 && rowsOnB < 30 && rowsOnA + rowsOnB >= 30, $"{rowsOnA} + {rowsOnB} rows");
            var alerts = (await replicas.A.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.alert/v1").Select(e => e["body"]!).ToList();
            Assert.Single(alerts, a => a["alert"]!.GetValue<string>() == "volume-spike");
            Assert.All(alerts.GroupBy(a => a["alertId"]!.GetValue<string>()), g => Assert.Single(g));
            Assert.All(alerts.GroupBy(a => a["alert"]!.GetValue<string>()), g => Assert.Single(g));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }
}
