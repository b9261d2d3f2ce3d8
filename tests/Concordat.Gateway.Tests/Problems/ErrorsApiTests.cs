using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Gateway.Problems;
using Concordat.Gateway.Tests.Hosting;

namespace Concordat.Gateway.Tests.Problems;

public sealed class ErrorsApiTests
{
    [Fact]
    public async Task Explain_GatewayCodeInAnyCase_AnswersItsWordsAndStatusFromTheTable()
    {
        await using var gateway = await TestGateway.StartAsync();

        var answer = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/errors/gw6005"))!;

        Assert.Equal(ProblemCode.RecipientSealed.Code, answer["code"]!.GetValue<string>());
        Assert.Equal(ProblemCode.RecipientSealed.Title, answer["title"]!.GetValue<string>());
        Assert.Equal(ProblemCode.RecipientSealed.Meaning, answer["meaning"]!.GetValue<string>());
        Assert.Equal(ProblemCode.RecipientSealed.Fix, answer["fix"]!.GetValue<string>());
        Assert.Equal(403, answer["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Explain_LibraryCode_AnswersItsWordsWithoutStatus()
    {
        await using var gateway = await TestGateway.StartAsync();

        var answer = (await gateway.Anonymous.GetFromJsonAsync<JsonObject>("/errors/AGR2006"))!;

        Assert.Equal("a reference names no party", answer["meaning"]!.GetValue<string>());
        Assert.False(answer.ContainsKey("status"));
    }

    [Fact]
    public async Task Explain_AcceptHtml_AnswersAPageWithTheWordsEncoded()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await GetAsync(gateway, "/errors/GW6006", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>GW6006: request denied</h1>", page, StringComparison.Ordinal);
        Assert.Contains("<p>HTTP status 403</p>", page, StringComparison.Ordinal);
        Assert.Contains("about the caller&#x27;s own agreements</p>", page, StringComparison.Ordinal);
        Assert.Equal("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Explain_AcceptText_AnswersTheWordsAsLines()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await GetAsync(gateway, "/errors/LOG4125", "text/plain");

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "LOG4125: log busy\nmeaning: the log pushed back: too busy (HTTP: 503 with Retry-After)\nfix: retry after the time given\n",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GW9999", "`GW9999` is not an error code")]
    [InlineData("no%20such%20thing", "an error code is an area prefix and four digits, such as `GW6001`")]
    public async Task Explain_UnknownCode_Answers404ProblemAndLogsNothing(string code, string detail)
    {
        await using var gateway = await TestGateway.StartAsync();
        var before = (await gateway.LogEntriesAsync()).Count;

        using var response = await gateway.Anonymous.GetAsync($"/errors/{code}");
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("GW6014", problem["code"]!.GetValue<string>());
        Assert.Equal(detail, problem["detail"]!.GetValue<string>());
        Assert.Equal(before, (await gateway.LogEntriesAsync()).Count);
    }

    private static async Task<HttpResponseMessage> GetAsync(TestGateway gateway, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        return await gateway.Anonymous.SendAsync(request);
    }
}
