using System.Net;
using System.Net.Http.Json;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Provenance;

/// <summary>The attestation scenarios on a fresh database of the shared PostgreSQL server, and two replicas registering one model.</summary>
[Collection(PostgresGroup.Name)]
public sealed class PostgresAttestationsScenarios(PostgresServer server) : AttestationsScenarios
{
    private const int RegistrationsPerReplica = 4;

    private protected override async Task<string?> StoreAsync() => await server.CreateDatabaseAsync("gateway");

    [Fact]
    public async Task RegisterModel_TwoReplicasAtOnceWithOneNameAndVersion_RegistersItOnce()
    {
        var database = await server.CreateDatabaseAsync("models");
        await using var a = await TestGateway.StartAsync(database);
        await a.InstallSampleAsync(Hospital);
        using var bearer = await TokenAsync(a, HospitalRecipient);
        var decisionId = await AttestedEgressAsync(a, bearer);
        await using var b = await TestGateway.StartAsync(database, workspace: a.Workspace);
        var body = new { name = "triage", version = "1.0", checkpoints = new[] { new { name = "model.bin", sha256 = ModelWeights } }, trainingConfig = "sha256:" + new string('a', 64), inputs = new[] { new { kind = "egress", id = decisionId } }, trainer = HospitalRecipient, purpose = "research" };

        var responses = await Task.WhenAll(Enumerable.Range(0, 2 * RegistrationsPerReplica).Select(i => (i % 2 == 0 ? a : b).Operator.PostAsJsonAsync("/v1/models", body)));

        var created = 0;
        foreach (var response in responses)
        {
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    created++;
                }
                else
                {
                    await AssertProblemAsync(response, HttpStatusCode.Conflict, "GW6304");
                }
            }
        }

        Assert.Equal(1, created);
        var models = (await a.LogEntriesAsync()).Where(e => e["type"]!.GetValue<string>() == "gateway.attestation/v1" && e["body"]!["kind"]!.GetValue<string>() == "model");
        Assert.Equal("triage@1.0", Assert.Single(models)["body"]!["model"]!.GetValue<string>());
    }
}
