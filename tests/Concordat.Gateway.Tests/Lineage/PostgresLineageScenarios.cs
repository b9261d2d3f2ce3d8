using Concordat.Gateway.Tests.Hosting;
using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Lineage;

/// <summary>
/// The lineage scenarios on a fresh database of the shared PostgreSQL server: its checkpoint history answers
/// <c>asOf</c>; and two replicas on one database, where one's egress is in the other's lineage at once.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresLineageScenarios(PostgresServer server) : LineageScenarios
{
    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");

    [Fact]
    public async Task Impact_EgressOnReplicaA_InReplicaBsImpactAtOnce()
    {
        await using var replicas = await TestReplicas.StartAsync(await server.CreateDatabaseAsync("lineage"));
        await replicas.A.InstallSampleAsync(Hospital);
        await TestReplicas.InForceOnAsync(replicas.B, Hospital);
        var before = await ImpactAsync(replicas.B.Operator);
        using var bearer = await TokenAsync(replicas.A, HospitalRecipient);

        var decisionId = await EgressAsync(bearer);
        await WaitForEntryAsync(replicas.A, "gateway.egress/v1", decisionId);
        var after = await ImpactAsync(replicas.B.Operator);

        Assert.Empty(Ids(before));
        Assert.Equal([decisionId], Ids(after));
        Assert.Equal([HospitalRecipient], after["recipients"]!.AsArray().Select(r => r!.GetValue<string>()));
    }
}
