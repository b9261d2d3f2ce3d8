using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;
using static Concordat.Gateway.Tests.DeltaSharing.DeltaSharingApiTests;

namespace Concordat.Gateway.Tests.DeltaSharing;

/// <summary><c>POST /v1/delta-sharing/profiles</c> over real HTTP: the profile file each version holds, and that a connector's calls work with it.</summary>
public sealed class ProfilesApiTests
{
    [Fact]
    public async Task CreateProfile_Version2_HoldsTheClientCredentialsAndItsTokenEndpointWorks()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.InstallSampleAsync(Share);
        var (clientId, secret) = await gateway.CreateIdentityAsync(Recipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await client.PostAsJsonAsync("/v1/delta-sharing/profiles", new { purpose = "research", jurisdiction = "DE" });
        var profile = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        using var connector = new HttpClient();
        using var credentials = new HttpRequestMessage(HttpMethod.Post, profile["tokenEndpoint"]!.GetValue<string>())
        {
            Content = Form($"grant_type=client_credentials&scope={Uri.EscapeDataString(profile["scope"]!.GetValue<string>())}"),
        };
        credentials.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{profile["clientId"]}:{profile["clientSecret"]}")));
        using var token = await connector.SendAsync(credentials);
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        using var bearer = gateway.Client("Bearer", accessToken);
        var shares = (await bearer.GetFromJsonAsync<JsonObject>(profile["endpoint"]!.GetValue<string>() + "shares"))!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Equal(["shareCredentialsVersion", "endpoint", "type", "tokenEndpoint", "clientId", "clientSecret", "scope"], profile.Select(m => m.Key));
        Assert.Equal(2, profile["shareCredentialsVersion"]!.GetValue<int>());
        Assert.Equal("oauth_client_credentials", profile["type"]!.GetValue<string>());
        Assert.Equal($"{gateway.BaseAddress.ToString().TrimEnd('/')}/delta-sharing/", profile["endpoint"]!.GetValue<string>());
        Assert.Equal(clientId, profile["clientId"]!.GetValue<string>());
        Assert.Equal(secret, profile["clientSecret"]!.GetValue<string>());
        Assert.Equal("purpose:research jurisdiction:DE", profile["scope"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Equal(Share, shares["items"]![0]!["name"]!.GetValue<string>());
        Assert.DoesNotContain(gateway.Logs.Messages, m => m.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateProfile_Version1_HoldsAShareTokenThatReadsAndIsInTheAccessReview()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.InstallSampleAsync(Share);
        var (clientId, secret) = await gateway.CreateIdentityAsync(Recipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await client.PostAsJsonAsync("/v1/delta-sharing/profiles", new { purpose = "research", jurisdiction = "DE", shareCredentialsVersion = 1 });
        var profile = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        using var bearer = gateway.Client("Bearer", profile["bearerToken"]!.GetValue<string>());
        using var query = await bearer.PostAsync(QueryPath, DeltaSharingApiTests.Json("{}"));
        var review = (await gateway.Operator.GetFromJsonAsync<JsonObject>("/v1/access-review"))!;
        var live = review["identities"]!.AsArray().Single(i => i!["clientId"]!.GetValue<string>() == clientId)!["liveTokens"]!.AsArray().Single()!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["shareCredentialsVersion", "endpoint", "bearerToken", "expirationTime"], profile.Select(m => m.Key));
        Assert.Equal(gateway.Clock.GetUtcNow().AddMinutes(15), profile["expirationTime"]!.GetValue<DateTimeOffset>());
        Assert.Equal(3, (await LinesAsync(query)).Count);
        Assert.Equal("share", live["kind"]!.GetValue<string>());
        Assert.Equal("research", live["purpose"]!.GetValue<string>());
        Assert.Equal("DE", live["jurisdiction"]!.GetValue<string>());
        Assert.Null(live["dataset"]);
        Assert.StartsWith("dec_", live["decisionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(live["expiresAt"]!.GetValue<DateTimeOffset>(), profile["expirationTime"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("{\"purpose\":\"research\",\"jurisdiction\":\"DE\",\"shareCredentialsVersion\":3}")]
    [InlineData("{\"purpose\":\"research\"}")]
    [InlineData("{\"purpose\":\"../x\",\"jurisdiction\":\"DE\"}")]
    public async Task CreateProfile_BadRequest_Returns400Problem(string body)
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.InstallSampleAsync(Share);
        var (clientId, secret) = await gateway.CreateIdentityAsync(Recipient, "training");
        using var client = gateway.ClientFor(clientId, secret);

        using var response = await client.PostAsync("/v1/delta-sharing/profiles", DeltaSharingApiTests.Json(body));
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("GW6013", problem["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateProfile_Operator_IsRefusedAsItHoldsNoIdentity()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.InstallSampleAsync(Share);

        using var response = await gateway.Operator.PostAsJsonAsync("/v1/delta-sharing/profiles", new { purpose = "research", jurisdiction = "DE" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("GW6001", (await response.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
    }
}
