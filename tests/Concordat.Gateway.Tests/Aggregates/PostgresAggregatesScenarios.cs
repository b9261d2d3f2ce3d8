using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Privacy.Noise;
using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Aggregates;

/// <summary>The aggregates scenarios on a fresh database of the shared PostgreSQL server, and two replicas charging one budget.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresAggregatesScenarios(PostgresServer server) : AggregatesScenarios
{
    private const int QueriesTheBudgetAllows = 10;
    private const int QueriesPerReplica = 16;

    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");

    [Fact]
    public async Task Query_TwoReplicasAtOnceOnOneGrant_SpendNoMoreThanTheBudgetAndAgreeOnWhatRemains()
    {
        var database = await server.CreateDatabaseAsync("budgets");
        await using var a = await TestGateway.StartAsync(database);
        using var onA = await AggregateTokenAsync(a);
        await using var b = await TestGateway.StartAsync(database, workspace: a.Workspace);
        using var onB = b.Client("Bearer", onA.DefaultRequestHeaders.Authorization!.Parameter!);
        var budget = Assert.Single((await onA.GetFromJsonAsync<JsonArray>("/v1/budgets"))!)!;
        Assert.True(Rational.TryParse(budget["capacity"]!.GetValue<string>(), out var capacity));
        var query = ByDiagnosis((capacity / Rational.FromInteger(QueriesTheBudgetAllows)).ToString());

        var responses = await Task.WhenAll(Enumerable.Range(0, 2 * QueriesPerReplica).Select(i => QueryAsync(i % 2 == 0 ? onA : onB, query)));

        var answered = 0;
        foreach (var response in responses)
        {
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    answered++;
                }
                else
                {
                    await AssertProblemAsync(response, HttpStatusCode.Forbidden, "GW6551");
                }
            }
        }

        var (_, rho, queries, _) = Assert.Single(await SpentInLogAsync(a));
        Assert.True(rho <= capacity, $"the replicas spent `{rho}` of a budget of `{capacity}`");
        Assert.Equal(answered, queries);
        Assert.Equal(QueriesTheBudgetAllows, answered);
        var reportedByA = Assert.Single((await onA.GetFromJsonAsync<JsonArray>("/v1/budgets"))!)!;
        var reportedByB = Assert.Single((await onB.GetFromJsonAsync<JsonArray>("/v1/budgets"))!)!;
        Assert.Equal("0", reportedByA["remaining"]!.GetValue<string>());
        Assert.Equal(reportedByA.ToJsonString(), reportedByB.ToJsonString());
        Assert.Equal(rho.ToString(), reportedByB["rhoSpent"]!.GetValue<string>());
    }
}
