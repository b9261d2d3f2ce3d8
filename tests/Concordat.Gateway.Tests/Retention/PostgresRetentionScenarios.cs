using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Retention;

/// <summary>
/// The retention scenarios on a fresh database of the shared PostgreSQL server; and two replicas on one database, where
/// the deadline of one's egress is in the other's <c>GET /v1/retention</c> at once.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresRetentionScenarios(PostgresServer server) : RetentionScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");

    [Fact]
    public async Task List_EgressOnReplicaA_ItsDeadlineOnReplicaBAtOnce()
    {
        await using var replicas = await TestReplicas.StartAsync(await server.CreateDatabaseAsync("retention"));
        await InstallTwoRecipientsAsync(replicas.A);
        await TestReplicas.InForceOnAsync(replicas.B, Hospital);
        var before = (await replicas.B.Operator.GetFromJsonAsync<JsonObject>("/v1/retention"))!;
        using var northwind = await TokenAsync(replicas.A, HospitalRecipient);

        var (decisionId, sha256) = await EgressAsync(replicas.A, northwind);
        var onB = (await replicas.B.Operator.GetFromJsonAsync<JsonObject>("/v1/retention"))!;
        var onA = (await replicas.A.Operator.GetFromJsonAsync<JsonObject>("/v1/retention"))!;

        Assert.Empty(before["items"]!.AsArray());
        Assert.Equal("due", Item(onB, decisionId)["state"]!.GetValue<string>());
        Assert.Equal(sha256, Item(onB, decisionId)["sha256"]!.GetValue<string>());
        Assert.Equal(Item(onA, decisionId).ToJsonString(), Item(onB, decisionId).ToJsonString());
    }
}
