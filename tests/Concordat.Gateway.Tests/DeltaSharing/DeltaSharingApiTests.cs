using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Hosting;
using Concordat.Testing.Peers;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.DeltaSharing;

/// <summary>The Delta Sharing server over real HTTP, checked against PROTOCOL.md's shapes and read by hyparquet through the pre-signed URLs.</summary>
public sealed class DeltaSharingApiTests
{
    internal const string Share = "hospital-research";
    internal const string Recipient = "northwind-research";
    internal const string Table = "cardiology-records";
    internal const string QueryPath = $"/delta-sharing/shares/{Share}/schemas/default/tables/{Table}/query";

    [Fact]
    public async Task Query_ParquetReadsTheFileWithRangeRequests_MatchesTheRowsEndpointCellForCell()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);

        using var query = await bearer.PostAsync(QueryPath, Json("{}"));
        var lines = await LinesAsync(query);
        var fileUrl = new Uri(lines[2]["file"]!["url"]!.GetValue<string>());
        var read = ParquetRead.HyparquetUrl(fileUrl);

        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.NotEmpty(read.Rows);
        Assert.Equal("application/x-ndjson; charset=utf-8", query.Content.Headers.ContentType!.ToString());
        Assert.Equal("1", query.Headers.GetValues("Delta-Table-Version").Single());
        Assert.Equal(1, lines[0]["protocol"]!["minReaderVersion"]!.GetValue<int>());
        Assert.Equal("parquet", lines[1]["metaData"]!["format"]!["provider"]!.GetValue<string>());
        var file = lines[2]["file"]!;
        Assert.Equal(["url", "id", "partitionValues", "size", "stats", "expirationTimestamp"], file.AsObject().Select(m => m.Key));
        Assert.Equal(read.Rows.Count, JsonDocument.Parse(file["stats"]!.GetValue<string>()).RootElement.GetProperty("numRecords").GetInt64());
        Assert.Contains(read.Requests, r => r.Method == "HEAD" && r.Status == 200);
        Assert.Contains(read.Requests, r => r.Range is not null && r.Status == 206);
        read.AssertMatches(await RowsEndpointAsync(gateway, client));
        var schema = JsonDocument.Parse(lines[1]["metaData"]!["schemaString"]!.GetValue<string>()).RootElement;
        Assert.Equal(read.Columns.Select(c => c.Name), schema.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var entries = await gateway.LogEntriesAsync();
        var decision = entries.FindIndex(e => e["type"]!.GetValue<string>() == "gateway.decision/v1" && e["body"]!["dataset"]!.GetValue<string>() == Table);
        var egress = entries.FindIndex(e => e["type"]!.GetValue<string>() == "gateway.egress/v1" && e["body"]!["format"]!.GetValue<string>() == "parquet");
        Assert.True(decision >= 0 && decision < egress);
        Assert.StartsWith("sha256:", entries[egress]["body"]!["sha256"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_TwoRecipients_DuckDbReadsEachFileThroughRangesCellForCellAndThePseudonymsDiffer()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.InstallAsync(GatewayScenarios.TwoRecipientHospital());
        var reads = new List<ParquetRead>();

        foreach (var recipient in new[] { Recipient, "southwind-labs" })
        {
            var (clientId, secret) = await gateway.CreateIdentityAsync(recipient, "training");
            using var client = gateway.ClientFor(clientId, secret);
            using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));
            using var query = await bearer.PostAsync(QueryPath, Json("{}"));
            var read = ParquetRead.DuckDbUrl(new Uri((await LinesAsync(query))[2]["file"]!["url"]!.GetValue<string>()));
            read.AssertMatches(await RowsEndpointAsync(gateway, client));
            reads.Add(read);
        }

        Assert.All(reads, r => Assert.NotEmpty(r.Rows));
        Assert.All(reads, r => Assert.Contains(r.Requests, q => q.Method == "HEAD" && q.Status == 200));
        Assert.All(reads, r => Assert.All(r.Requests.Where(q => q.Method == "GET"), q => Assert.Equal(206, q.Status)));
        Assert.All(reads, r => Assert.Equal("patient_id", r.Columns[0].Name));
        Assert.Empty(reads[0].Rows.Select(r => r[0].GetString()).Intersect(reads[1].Rows.Select(r => r[0].GetString())));
    }

    [Fact]
    public async Task Fetch_RecipientSealed_NextQueryAndFetchAreRefused()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);
        using var query = await bearer.PostAsync(QueryPath, Json("{}"));
        var url = (await LinesAsync(query))[2]["file"]!["url"]!.GetValue<string>();

        using var seal = await gateway.Operator.PostAsJsonAsync($"/v1/recipients/{Recipient}/seal", new { reason = "test" });
        using var again = await bearer.PostAsync(QueryPath, Json("{}"));
        using var fetch = await gateway.Anonymous.GetAsync(new Uri(url));

        Assert.Equal(HttpStatusCode.OK, seal.StatusCode);
        await AssertProtocolErrorAsync(again, HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        Assert.Equal(HttpStatusCode.Forbidden, fetch.StatusCode);
        Assert.Equal("GW6600", (await fetch.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fetch_ClientGoesMidFile_IsLoggedAsAnIncompleteEgress()
    {
        // The gateway's sockets get a small, fixed send buffer (accepted sockets inherit it from the listening socket on Linux): left to autotune, a host whose tcp_wmem allows more
        // than the file's size takes the whole file into the kernel before the client goes, and the egress completes.
        await using var gateway = await TestGateway.StartAsync(overrides: services => services.Configure<SocketTransportOptions>(transport => transport.CreateBoundListenSocket = endpoint =>
        {
            var listener = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            listener.SendBufferSize = 64 * 1024;
            return listener;
        }));
        var (_, shareToken) = await SetUpAsync(gateway);

        // About 5 MB of Parquet, far more than both sockets' buffers hold, read by a client whose small, fixed receive buffer (no autotuning) holds the gateway back, so it is
        // still sending when the client goes.
        using var import = await gateway.ImportAsync(Table, SampleRows.Csv(TestGateway.ReadSample(Share).Datasets[0], 120_000, "research", "DE"));
        using var bearer = gateway.Client("Bearer", shareToken);
        using var query = await bearer.PostAsync(QueryPath, Json("{}"));
        var file = (await LinesAsync(query))[2]["file"]!;
        var url = new Uri(file["url"]!.GetValue<string>());

        // The egress counts the bytes handed to the server (docs/api.md). The server learns that the client went from a
        // failed send and tells the request on the thread pool, so on a busy machine the last writes can be handed over
        // (and dropped) before the request hears of it: by that definition the fetch completed. A few attempts make the
        // test check the stop path, which a fetch into a closed connection takes nearly always.
        const int Attempts = 3;
        JsonObject? egress = null;
        for (var attempt = 0; attempt < Attempts && (egress is null || egress["body"]!["completed"]!.GetValue<bool>()); attempt++)
        {
            var logged = (await gateway.LogEntriesAsync()).Count(IsEgress);
            using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 })
            {
                await socket.ConnectAsync(url.Host, url.Port);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n\r\n"));
                await socket.ReceiveAsync(new byte[1024]);
            }

            await Eventually.HoldsAsync(async () => (egress = (await gateway.LogEntriesAsync()).Where(IsEgress).Skip(logged).FirstOrDefault()) is not null, "the fetch is logged");
        }

        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        Assert.Equal("parquet", egress!["body"]!["format"]!.GetValue<string>());
        Assert.False(egress["body"]!["completed"]!.GetValue<bool>());
        Assert.Equal("client", egress["body"]!["stoppedBy"]!.GetValue<string>());
        Assert.True(egress["body"]!["bytesWritten"]!.GetValue<long>() < file["size"]!.GetValue<long>());
    }

    private static bool IsEgress(JsonObject entry) => entry["type"]!.GetValue<string>() == "gateway.egress/v1";

    [Fact]
    public async Task Fetch_TamperedOrExpiredUrl_IsRefused()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);
        using var query = await bearer.PostAsync(QueryPath, Json("{}"));
        var url = (await LinesAsync(query))[2]["file"]!["url"]!.GetValue<string>();

        using var whole = await gateway.Anonymous.GetAsync(new Uri(url));
        using var tampered = await gateway.Anonymous.GetAsync(new Uri(url.Replace("recipient=northwind-research", "recipient=northwind-researcj", StringComparison.Ordinal)));
        gateway.Clock.Advance(TimeSpan.FromMinutes(16));
        using var expired = await gateway.Anonymous.GetAsync(new Uri(url));

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_ClientCredentials_AnswersPerRfc6749AndEachRefreshWorks()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, first) = await SetUpAsync(gateway);

        var second = await ShareTokenAsync(client);
        using var refreshed = gateway.Client("Bearer", second);
        var shares = (await refreshed.GetFromJsonAsync<JsonObject>("/delta-sharing/shares"))!;
        using var wrongGrant = await client.PostAsync("/delta-sharing/oauth/token", Form("grant_type=password"));

        Assert.NotEqual(first, second);
        Assert.Equal(Share, shares["items"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, wrongGrant.StatusCode);
        Assert.Equal("unsupported_grant_type", (await wrongGrant.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData($"/delta-sharing/shares/nope/schemas/default/tables/{Table}/query", "{}", null, 404, "RESOURCE_DOES_NOT_EXIST")]
    [InlineData($"/delta-sharing/shares/{Share}/schemas/other/tables/{Table}/query", "{}", null, 404, "RESOURCE_DOES_NOT_EXIST")]
    [InlineData(QueryPath, "{not json", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData(QueryPath, "{\"version\":7}", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData(QueryPath, "{\"version\":-1}", null, 400, "INVALID_PARAMETER_VALUE")]
    [InlineData(QueryPath, "{}", "responseformat=delta", 400, "INVALID_PARAMETER_VALUE")]
    public async Task Query_BadRequest_AnswersTheProtocolErrorShape(string path, string body, string? capabilities, int status, string errorCode)
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        if (capabilities is not null)
        {
            request.Headers.Add("delta-sharing-capabilities", capabilities);
        }

        using var response = await bearer.SendAsync(request);

        await AssertProtocolErrorAsync(response, (HttpStatusCode)status, errorCode);
    }

    [Theory]
    [InlineData("/delta-sharing/shares")]
    [InlineData($"/delta-sharing/shares/{Share}")]
    [InlineData($"/delta-sharing/shares/{Share}/schemas")]
    [InlineData($"/delta-sharing/shares/{Share}/all-tables")]
    [InlineData($"/delta-sharing/shares/{Share}/schemas/default/tables/{Table}/metadata")]
    public async Task Get_RevokedShareToken_AnswersUnauthenticatedInTheProtocolShape(string path)
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);
        using var revoke = await gateway.Operator.DeleteAsync($"/v1/tokens/{await ShareTokenIdAsync(gateway)}");

        using var response = await bearer.GetAsync(path);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var error = await AssertProtocolErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Contains("GW6004", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_ShareTokenRevoked_QueryAndFetchAreRefused()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);
        using var query = await bearer.PostAsync(QueryPath, Json("{}"));
        var url = (await LinesAsync(query))[2]["file"]!["url"]!.GetValue<string>();

        using var revoke = await gateway.Operator.DeleteAsync($"/v1/tokens/{await ShareTokenIdAsync(gateway)}");
        using var again = await bearer.PostAsync(QueryPath, Json("{}"));
        using var fetch = await gateway.Anonymous.GetAsync(new Uri(url));

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await AssertProtocolErrorAsync(again, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Equal(HttpStatusCode.Forbidden, fetch.StatusCode);
        Assert.Equal("GW6600", (await fetch.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_AgreementTerminated_ShareIsNoLongerListedNorServed()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (client, _) = await SetUpAsync(gateway);
        var yaml = await File.ReadAllTextAsync(TestGateway.SamplePath(Share));
        using var terminate = await gateway.UploadTerminationAsync(Share, gateway.Terminate(yaml, Recipient, gateway.Clock.GetUtcNow().AddDays(365)));

        // A token taken five minutes before the termination takes effect, used one minute after.
        gateway.Clock.Advance(TimeSpan.FromDays(365) - TimeSpan.FromMinutes(5));
        using var bearer = gateway.Client("Bearer", await ShareTokenAsync(client));
        gateway.Clock.Advance(TimeSpan.FromMinutes(6));

        var shares = (await bearer.GetFromJsonAsync<JsonObject>("/delta-sharing/shares"))!;
        using var query = await bearer.PostAsync(QueryPath, Json("{}"));
        using var refresh = await client.PostAsync("/delta-sharing/oauth/token", Form("grant_type=client_credentials&scope=purpose:research jurisdiction:DE"));

        Assert.Equal(HttpStatusCode.Created, terminate.StatusCode);
        Assert.Empty(shares["items"]!.AsArray());
        await AssertProtocolErrorAsync(query, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_scope", (await refresh.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Basic", "Y2lkX25vcGU6d3Jvbmc=", 401)]
    [InlineData(null, null, 401)]
    public async Task TokenEndpoint_BadClient_AnswersTheOAuthErrorShape(string? scheme, string? credential, int status)
    {
        await using var gateway = await TestGateway.StartAsync();
        await SetUpAsync(gateway);
        using var client = scheme is null ? new HttpClient { BaseAddress = gateway.BaseAddress } : gateway.Client(scheme, credential!);

        using var response = await client.PostAsync("/delta-sharing/oauth/token", Form("grant_type=client_credentials&scope=purpose:research jurisdiction:DE"));
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(["error", "error_description"], error.Select(m => m.Key));
        Assert.Equal("invalid_client", error["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListShares_NoToken_AnswersUnauthenticatedInTheProtocolShape()
    {
        await using var gateway = await TestGateway.StartAsync();
        await SetUpAsync(gateway);

        using var response = await gateway.Anonymous.GetAsync("/delta-sharing/shares");

        await AssertProtocolErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
    }

    internal static async Task<JsonObject> AssertProtocolErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {error.ToJsonString()}");
        Assert.Equal(["errorCode", "message"], error.Select(m => m.Key));
        Assert.Equal(errorCode, error["errorCode"]!.GetValue<string>());
        return error;
    }

    // The share token's id, as the operator finds it: in the access review.
    internal static async Task<string> ShareTokenIdAsync(TestGateway gateway)
    {
        var review = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/access-review"))!;
        return review["identities"]!.AsArray().SelectMany(i => i!["liveTokens"]!.AsArray()).Single(t => t!["kind"]!.GetValue<string>() == "share")!["tokenId"]!.GetValue<string>();
    }

    [Fact]
    public async Task ListShares_AnotherRecipient_SeesNoShareOfThisOneAndCannotQueryIt()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var otherBearer = await OtherRecipientAsync(gateway);

        var shares = (await otherBearer.GetFromJsonAsync<JsonObject>("/delta-sharing/shares"))!;
        using var query = await otherBearer.PostAsync(QueryPath, Json("{}"));

        Assert.DoesNotContain(shares["items"]!.AsArray(), s => s!["name"]!.GetValue<string>() == Share);
        await AssertProtocolErrorAsync(query, HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task ListAllTables_PagedByOne_ListsEverythingOnce()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, shareToken) = await SetUpAsync(gateway);
        using var bearer = gateway.Client("Bearer", shareToken);
        var all = (await bearer.GetFromJsonAsync<JsonObject>($"/delta-sharing/shares/{Share}/all-tables"))!["items"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();

        var paged = new List<string>();
        string? next = null;
        do
        {
            var page = (await bearer.GetFromJsonAsync<JsonObject>($"/delta-sharing/shares/{Share}/all-tables?maxResults=1" + (next is null ? string.Empty : "&pageToken=" + next)))!;
            paged.AddRange(page["items"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
            next = page["nextPageToken"]?.GetValue<string>();
        }
        while (next is not null);

        Assert.NotEmpty(all);
        Assert.Equal(all, paged);
    }

    // This share set up, and a client with a share token of a recipient of another agreement (foundation-evaluation).
    internal static async Task<HttpClient> OtherRecipientAsync(TestGateway gateway)
    {
        await SetUpAsync(gateway);
        await gateway.InstallSampleAsync("foundation-evaluation");
        var other = TestGateway.ReadSample("foundation-evaluation").Grants[0].Recipient.Value;
        var (clientId, secret) = await gateway.CreateIdentityAsync(other, "analysis");
        return gateway.Client("Bearer", await ShareTokenAsync(gateway.ClientFor(clientId, secret), "evaluation", "DE"));
    }

    internal static async Task<(HttpClient Client, string ShareToken)> SetUpAsync(TestGateway gateway)
    {
        await gateway.InstallSampleAsync(Share);
        var (clientId, secret) = await gateway.CreateIdentityAsync(Recipient, "training");
        var client = gateway.ClientFor(clientId, secret);
        return (client, await ShareTokenAsync(client));
    }

    internal static async Task<string> ShareTokenAsync(HttpClient client, string purpose = "research", string jurisdiction = "DE")
    {
        using var response = await client.PostAsync("/delta-sharing/oauth/token", Form($"grant_type=client_credentials&scope=purpose:{purpose} jurisdiction:{jurisdiction}"));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("Bearer", body["token_type"]!.GetValue<string>());
        Assert.Equal(900, body["expires_in"]!.GetValue<long>());
        return body["access_token"]!.GetValue<string>();
    }

    internal static async Task<List<JsonElement>> RowsEndpointAsync(TestGateway gateway, HttpClient client)
    {
        var token = (await (await TestGateway.RequestTokenAsync(client, Table, "research", "DE")).Content.ReadFromJsonAsync<JsonObject>())!;
        using var bearer = gateway.Client("Bearer", token["token"]!.GetValue<string>());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/datasets/{Table}/rows");
        request.Headers.Accept.ParseAdd("application/x-ndjson");
        using var rows = await bearer.SendAsync(request);
        var text = await rows.Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    internal static async Task<List<JsonObject>> LinesAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject())];
    }

    internal static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    internal static StringContent Form(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");
}
