using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Agreements;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Storage.Tests.Postgres;

namespace Concordat.Gateway.Tests.Agreements;

/// <summary>
/// Two gateway replicas, A and B, sharing one workspace and one real PostgreSQL database: an agreement activated,
/// superseded or terminated on A is enforced on B through the same feed as seals, without a restart.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ReplicaAgreementTests(PostgresServer server)
{
    private const string Hospital = "hospital-research";
    private const string Recipient = "northwind-research";
    private const string Dataset = "cardiology-records";

    [Fact]
    public async Task Activation_OnReplicaA_IsEnforcedOnReplicaBAndItsTokensAreAcceptedThere()
    {
        await using var replicas = await StartAsync();

        await replicas.A.InstallSampleAsync(Hospital);
        await InForceOnAsync(replicas.B, 1);
        var (clientId, secret) = await replicas.A.CreateIdentityAsync(Recipient, "training");
        using var clientOnA = replicas.A.ClientFor(clientId, secret);
        using var issued = await TestGateway.RequestTokenAsync(clientOnA, Dataset, "research", "DE");
        var token = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        using var bearerOnB = replicas.B.Client("Bearer", token);
        using var rows = await bearerOnB.GetAsync($"/v1/datasets/{Dataset}/rows");

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal(HttpStatusCode.OK, rows.StatusCode);
    }

    [Fact]
    public async Task NarrowingAmendment_OnReplicaA_IsEnforcedOnReplicaB()
    {
        await using var replicas = await StartAsync();
        await replicas.A.InstallSampleAsync(Hospital);
        await InForceOnAsync(replicas.B, 1);
        var narrowed = File.ReadAllText(TestGateway.SamplePath(Hospital))
            .Replace("\nversion: 1\n", "\nversion: 2\n", StringComparison.Ordinal)
            .Replace("    jurisdictions: [DE, NL]\n    rateLimit:", "    jurisdictions: [NL]\n    rateLimit:", StringComparison.Ordinal);

        using var upload = await replicas.A.UploadAsync(narrowed, replicas.A.Sign(narrowed));
        await InForceOnAsync(replicas.B, 2);
        var (clientId, secret) = await replicas.B.CreateIdentityAsync(Recipient, "training");
        using var clientOnB = replicas.B.ClientFor(clientId, secret);
        using var denied = await TestGateway.RequestTokenAsync(clientOnB, Dataset, "research", "DE");

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Termination_OnReplicaA_IsEnforcedOnReplicaBFromItsEffectiveTime()
    {
        await using var replicas = await StartAsync();
        await replicas.A.InstallSampleAsync(Hospital);
        await InForceOnAsync(replicas.B, 1);
        var effective = replicas.A.Clock.GetUtcNow().AddDays(91);
        var yaml = File.ReadAllText(TestGateway.SamplePath(Hospital));

        using var terminate = await replicas.A.UploadTerminationAsync(Hospital, replicas.A.Terminate(yaml, Recipient, effective));
        await Eventually.HoldsAsync(() => Policy(replicas.B).Agreements.Single().TerminatesAt == effective, "B enforces the termination");
        replicas.B.Clock.Advance(TimeSpan.FromDays(92));
        var (clientId, secret) = await replicas.B.CreateIdentityAsync(Recipient, "training");
        using var clientOnB = replicas.B.ClientFor(clientId, secret);
        using var denied = await TestGateway.RequestTokenAsync(clientOnB, Dataset, "research", "DE");

        Assert.Equal(HttpStatusCode.Created, terminate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    private static PolicyState Policy(TestGateway gateway) => TestReplicas.Policy(gateway);

    private static Task InForceOnAsync(TestGateway replica, int version) => TestReplicas.InForceOnAsync(replica, Hospital, version);

    private async Task<TestReplicas> StartAsync() => await TestReplicas.StartAsync(await server.CreateDatabaseAsync("replicas"));
}
