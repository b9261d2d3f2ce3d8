using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Problems;

public sealed class ProblemTests
{
    [Fact]
    public async Task Of_Refusal_TypeIsAbsoluteAndResolvesToItsCodesExplanation()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var refused = await gateway.Anonymous.GetAsync("/v1/receipts/dec_unknown");
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        var type = new Uri(problem["type"]!.GetValue<string>());

        var answer = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>(type))!;

        Assert.Equal(new Uri(gateway.BaseAddress, "/errors/GW6001"), type);
        Assert.Equal(problem["code"]!.GetValue<string>(), answer["code"]!.GetValue<string>());
        Assert.Equal(problem["title"]!.GetValue<string>(), answer["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Complete_RequestAcceptsNoJson_StillAddsTypeAndTraceId()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/datasets/cardiology-records/rows");
        request.Headers.Accept.ParseAdd("text/csv");

        using var response = await gateway.Anonymous.SendAsync(request);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new Uri(gateway.BaseAddress, "/errors/GW6001").ToString(), problem["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(problem["traceId"]?.GetValue<string>()));
    }
}
