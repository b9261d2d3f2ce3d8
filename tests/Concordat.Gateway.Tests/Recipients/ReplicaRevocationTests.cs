using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Gateway.Recipients;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Storage.Postgres;
using Concordat.Storage.Postgres.Revocation;
using Concordat.Storage.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Concordat.Gateway.Tests.Recipients;

/// <summary>
/// Two gateway replicas, A and B, each on its own Kestrel on loopback, sharing one workspace and one real PostgreSQL
/// database: what the operator does on A reaches the streams under way on B through PostgreSQL notifications.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class ReplicaRevocationTests(PostgresServer server)
{
    // A replica marks only the recipients it streams for when it catches up, so a seal of another recipient made
    // before its feed listens would never reach the mark: wait until it listens.
    private static Task ListeningAsync(TestGateway replica) =>
        Eventually.HoldsAsync(() => replica.Logs.Messages.Any(m => m.Contains("listening for revocations", StringComparison.Ordinal)), "the replica listens for revocations");

    private static readonly PartyId s_recipient = new(StalledStream.Recipient);

    [Fact]
    public async Task Seal_OnReplicaA_StopsStreamOnReplicaBAndRefusesItsNextRequest()
    {
        await using var replicas = await Replicas.StartWithStreamOnBAsync(server);

        using var seal = await replicas.A.Operator.PostAsJsonAsync($"/v1/recipients/{StalledStream.Recipient}/seal", new { reason = "drill" });
        var read = await Record.ExceptionAsync(replicas.Stream.ReadToEndAsync);
        using var next = await replicas.BearerOnB.GetAsync($"/v1/datasets/{StalledStream.Dataset}/rows");

        Assert.Equal(HttpStatusCode.OK, seal.StatusCode);
        Assert.IsAssignableFrom<IOException>(read);
        await AssertProblemAsync(next, HttpStatusCode.Forbidden, "GW6005");
        Assert.True(Streams(replicas.B).IsSealed(s_recipient));
        await Eventually.HoldsAsync(async () => (await EgressStoppedByAsync(replicas.B)).Contains("seal"), "B logs its egress as stopped by the seal");
    }

    [Fact]
    public async Task Unseal_OnReplicaA_LiftsReplicaBMark()
    {
        var database = await server.CreateDatabaseAsync("replicas");
        await using var a = await TestGateway.StartAsync(database);
        await a.InstallSampleAsync("hospital-research");
        await using var b = await TestGateway.StartAsync(database, workspace: a.Workspace);
        await ListeningAsync(b);
        using var seal = await a.Operator.PostAsJsonAsync($"/v1/recipients/{StalledStream.Recipient}/seal", new { reason = "drill" });
        await Eventually.HoldsAsync(() => Streams(b).IsSealed(s_recipient), "B marks the recipient sealed");

        using var unseal = await a.Operator.PostAsJsonAsync($"/v1/recipients/{StalledStream.Recipient}/unseal", new { reason = "drill over" });

        Assert.Equal(HttpStatusCode.OK, unseal.StatusCode);
        await Eventually.HoldsAsync(() => !Streams(b).IsSealed(s_recipient), "B lifts its mark");
    }

    [Fact]
    public async Task RevokeToken_OnReplicaA_StopsStreamOpenedWithItOnReplicaB()
    {
        await using var replicas = await Replicas.StartWithStreamOnBAsync(server);

        using var revoke = await replicas.A.Operator.DeleteAsync($"/v1/tokens/{replicas.TokenId}");
        var read = await Record.ExceptionAsync(replicas.Stream.ReadToEndAsync);
        using var next = await replicas.BearerOnB.GetAsync($"/v1/datasets/{StalledStream.Dataset}/rows");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.IsAssignableFrom<IOException>(read);
        await AssertProblemAsync(next, HttpStatusCode.Unauthorized, "GW6004");
        Assert.False(Streams(replicas.B).IsSealed(s_recipient));
        await Eventually.HoldsAsync(async () => (await EgressStoppedByAsync(replicas.B)).Contains("revocation"), "B logs its egress as stopped by the revocation");
    }

    [Fact]
    public async Task Feed_ConnectionLost_ReconnectsAndCatchesUpOnWhatItMissed()
    {
        var database = await server.CreateDatabaseAsync("replicas");
        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        await using var b = await TestGateway.StartAsync(database);
        await b.InstallSampleAsync("hospital-research");
        await ListeningAsync(b);
        await using var otherEngine = new PostgresStoreEngine(database, b.Clock, NullLoggerFactory.Instance);
        var otherReplica = otherEngine.Registry;
        await otherReplica.SealAsync(s_recipient, b.Clock.GetUtcNow(), "drill", default);
        await Eventually.HoldsAsync(() => Streams(b).IsSealed(s_recipient), "B marks the recipient sealed");
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();

        // The unseal is committed while B's feed is cut off and cannot connect again, so its notice is lost.
        await ExecuteAsync(admin, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false");
        var lost = await ListenerPidsAsync(admin, name);
        await ExecuteAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND application_name = '{PostgresRevocationFeed.ApplicationName}'");
        await Eventually.HoldsAsync(async () => (await ListenerPidsAsync(admin, name)).Count == 0, "B's feed connection is gone");
        await otherReplica.UnsealAsync(s_recipient, b.Clock.GetUtcNow(), default);
        await ExecuteAsync(admin, $"ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true");

        Assert.Single(lost);
        await Eventually.HoldsAsync(() => !Streams(b).IsSealed(s_recipient), "B reconnects and lifts its mark from the store");
        await otherReplica.SealAsync(s_recipient, b.Clock.GetUtcNow(), "drill again", default);
        await Eventually.HoldsAsync(() => Streams(b).IsSealed(s_recipient), "B hears notices on the new connection");
    }

    private static StreamRegistry Streams(TestGateway gateway) => gateway.Services.GetRequiredService<StreamRegistry>();

    private static async Task<List<string>> EgressStoppedByAsync(TestGateway gateway) =>
        [.. (await gateway.LogEntriesAsync())
            .Where(e => e["type"]!.GetValue<string>() == "gateway.egress/v1")
            .Select(e => e["body"]!["stoppedBy"]?.GetValue<string>() ?? "-")];

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, problem!["code"]!.GetValue<string>());
    }

    private static async Task<List<int>> ListenerPidsAsync(NpgsqlConnection admin, string database)
    {
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2", admin);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        command.Parameters.Add(new NpgsqlParameter { Value = PostgresRevocationFeed.ApplicationName });
        var pids = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Replica A with the large hospital dataset, replica B on the same database and workspace, and a stream under way on B.</summary>
    private sealed class Replicas(TestGateway a, TestGateway b, string tokenId, StalledStream stream, HttpClient bearerOnB) : IAsyncDisposable
    {
        public TestGateway A => a;

        public TestGateway B => b;

        public string TokenId => tokenId;

        public StalledStream Stream => stream;

        /// <summary>A client of B with the stream's token, for the next request.</summary>
        public HttpClient BearerOnB => bearerOnB;

        public static async Task<Replicas> StartWithStreamOnBAsync(PostgresServer server)
        {
            var database = await server.CreateDatabaseAsync("replicas");
            var a = await TestGateway.StartAsync(database);
            await StalledStream.InstallAsync(a);
            var b = await TestGateway.StartAsync(database, overrides: SlowSockets.SmallSendBuffer, workspace: a.Workspace);
            var (bearer, tokenId) = await StalledStream.TokenAsync(b, a);
            return new Replicas(a, b, tokenId, await StalledStream.OpenAsync(b, bearer), b.Client("Bearer", bearer));
        }

        public async ValueTask DisposeAsync()
        {
            stream.Dispose();
            bearerOnB.Dispose();
            await b.DisposeAsync();
            await a.DisposeAsync();
        }
    }
}
